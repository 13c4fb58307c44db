import { AZ_COUNT } from '../../../lib/config';
import {
  azIdPrefix,
  defaultMskAzIds,
  MSK_UNSUPPORTED_AZ_IDS,
  resolveMskAzIds,
  validateMskAzIds,
} from '../../../lib/network/msk-availability-zones';

describe('MSK Availability Zones', () => {
  it('lists the AZ ID the MSK API reference refuses for client subnets', () => {
    expect(MSK_UNSUPPORTED_AZ_IDS).toContain('use1-az3');
  });

  it.each([
    ['us-east-1', 'use1'],
    ['us-west-1', 'usw1'],
    ['eu-central-1', 'euc1'],
    ['ap-northeast-2', 'apne2'],
    ['ap-southeast-1', 'apse1'],
    ['ca-central-1', 'cac1'],
    ['sa-east-1', 'sae1'],
    ['us-gov-west-1', 'usgw1'],
  ])('derives the AZ ID prefix of %s as %s', (region, prefix) => {
    expect(azIdPrefix(region)).toBe(prefix);
  });

  it.each([
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'eu-west-1',
    'eu-central-1',
    'ap-northeast-1',
    'ap-southeast-2',
  ])('has a valid default for %s that avoids the unsupported IDs', (region) => {
    const ids = defaultMskAzIds(region);
    expect(ids).toHaveLength(AZ_COUNT);
    expect(validateMskAzIds(region, ids)).toEqual([]);
    for (const id of ids) expect(MSK_UNSUPPORTED_AZ_IDS).not.toContain(id);
  });

  it('defaults us-west-1 to the two zones new accounts have there', () => {
    expect(defaultMskAzIds('us-west-1')).toEqual(['usw1-az1', 'usw1-az3']);
  });

  it('tells the user to set mskAzIds for a region without a default', () => {
    expect(() => defaultMskAzIds('af-south-1')).toThrow(
      /context mskAzIds: no default Availability Zone IDs for region af-south-1; set 2 AZ IDs.*afs1-az1,afs1-az2/,
    );
  });

  it.each([
    [['use1-az1'], /must list exactly 2 AZ IDs, got 1/],
    [['use1-az1', 'use1-az2', 'use1-az4'], /must list exactly 2 AZ IDs, got 3/],
    [['use1-az1', 'use1-az1'], /must list distinct AZ IDs.*repeated: use1-az1/],
    [['use1-az1', 'usw2-az1'], /"usw2-az1" is not an AZ ID of us-east-1 \(expected use1-az<N>\)/],
    [['use1-az1', 'us-east-1a'], /"us-east-1a" is not an AZ ID of us-east-1/],
    [['use1-az1', 'use1-az3'], /MSK does not allow client subnets in use1-az3/],
  ])('rejects %j in us-east-1', (ids, message) => {
    const errors = validateMskAzIds('us-east-1', ids);
    expect(errors.join(' ')).toMatch(message);
    expect(() => resolveMskAzIds('us-east-1', ids)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(validateMskAzIds('us-east-1', ['use1-az3', 'use1-az3', 'euw1-az1'])).toHaveLength(5);
  });

  it('resolves the configured IDs, or the region default when none are configured', () => {
    expect(resolveMskAzIds('eu-west-1', ['euw1-az3', 'euw1-az2'])).toEqual(['euw1-az3', 'euw1-az2']);
    expect(resolveMskAzIds('eu-west-1', undefined)).toEqual(defaultMskAzIds('eu-west-1'));
  });
});
