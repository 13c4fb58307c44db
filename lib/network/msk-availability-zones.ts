/**
 * Which Availability Zones the VPC (and so the MSK brokers) use, chosen by AZ *ID*.
 *
 * AZ names (us-east-1a) map to physical zones differently in every account; AZ IDs (use1-az1) name the
 * same zone everywhere, so a rule like "MSK refuses this zone" can only be written, and checked, with IDs.
 * https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
 *
 * Shared by the network stack (synth-time validation) and `npm run preflight` (checks the IDs exist in the
 * target account).
 */
import { AZ_COUNT, CONTEXT_KEYS } from '../config';

/**
 * AZ IDs in which MSK refuses client subnets. Only what AWS documents: the MSK API reference,
 * BrokerNodeGroupInfo.ClientSubnets, "Client subnets can't occupy the Availability Zone with ID use1-az3."
 * https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html#clusters-model-brokernodegroupinfo
 * The MSK developer guide adds that CreateCluster names any other unsupported zone in its error
 * ("one or more subnets belong to unsupported Availability Zones"); preflight cannot know those offline.
 * https://docs.aws.amazon.com/msk/latest/developerguide/msk-create-cluster.html
 */
export const MSK_UNSUPPORTED_AZ_IDS: readonly string[] = ['use1-az3'];

/**
 * Per-region default AZ IDs (AZ_COUNT of them). Chosen from zones every account has: us-west-1 offers new
 * accounts only usw1-az1 and usw1-az3 (AWS lists exactly those two for the region, e.g. the EFS One Zone
 * table https://docs.aws.amazon.com/efs/latest/ug/OneZoneAZs.html); ap-northeast-1 and ca-central-1 skip
 * their az3, which only older accounts have; us-east-1 skips the MSK-refused use1-az3. Regions not listed
 * need the `mskAzIds` context key. `npm run preflight` checks that the chosen IDs exist in the account.
 */
const DEFAULT_AZ_IDS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'us-east-2': ['use2-az1', 'use2-az2'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'us-west-2': ['usw2-az1', 'usw2-az2'],
  'ca-central-1': ['cac1-az1', 'cac1-az2'],
  'eu-west-1': ['euw1-az1', 'euw1-az2'],
  'eu-west-2': ['euw2-az1', 'euw2-az2'],
  'eu-west-3': ['euw3-az1', 'euw3-az2'],
  'eu-central-1': ['euc1-az1', 'euc1-az2'],
  'eu-north-1': ['eun1-az1', 'eun1-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az4'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az3'],
  'ap-southeast-1': ['apse1-az1', 'apse1-az2'],
  'ap-southeast-2': ['apse2-az1', 'apse2-az2'],
  'ap-south-1': ['aps1-az1', 'aps1-az2'],
  'sa-east-1': ['sae1-az1', 'sae1-az2'],
};

const AZ_IDS_KEY = CONTEXT_KEYS.mskAzIds;

/** The AZ ID prefix of a region, as AWS forms it: us-east-1 -> use1, ap-northeast-2 -> apne2, us-gov-west-1 -> usgw1. */
export function azIdPrefix(region: string): string | undefined {
  const match =
    /^([a-z]{2})-(gov-)?(north|south|east|west|central|northeast|northwest|southeast|southwest)-(\d+)$/.exec(region);
  if (!match) return undefined;
  const [, area, gov, direction, number] = match as unknown as [string, string, string | undefined, string, string];
  const directionCode: Record<string, string> = {
    north: 'n',
    south: 's',
    east: 'e',
    west: 'w',
    central: 'c',
    northeast: 'ne',
    northwest: 'nw',
    southeast: 'se',
    southwest: 'sw',
  };
  return `${area}${gov ? 'g' : ''}${directionCode[direction]}${number}`;
}

/** The default AZ IDs for a region; throws, naming the context key to set, for a region without one. */
export function defaultMskAzIds(region: string): readonly string[] {
  const ids = DEFAULT_AZ_IDS[region];
  if (!ids) {
    throw new Error(
      `context ${AZ_IDS_KEY}: no default Availability Zone IDs for region ${region}; set ${AZ_COUNT} AZ IDs ` +
        `that MSK supports there, e.g. -c ${AZ_IDS_KEY}=${azIdPrefix(region) ?? '<prefix>'}-az1,${azIdPrefix(region) ?? '<prefix>'}-az2 ` +
        '(aws ec2 describe-availability-zones lists the IDs of your account)',
    );
  }
  return ids;
}

/** Everything wrong with a list of AZ IDs for the region, one sentence each (empty when usable). */
export function validateMskAzIds(region: string, azIds: readonly string[]): string[] {
  const errors: string[] = [];
  const prefix = azIdPrefix(region);
  if (azIds.length !== AZ_COUNT) {
    errors.push(`${AZ_IDS_KEY} must list exactly ${AZ_COUNT} AZ IDs, got ${azIds.length} (${azIds.join(', ')}).`);
  }
  const duplicates = azIds.filter((id, i) => azIds.indexOf(id) !== i);
  if (duplicates.length > 0) {
    errors.push(
      `${AZ_IDS_KEY} must list distinct AZ IDs (MSK needs subnets in distinct zones), repeated: ${[...new Set(duplicates)].join(', ')}.`,
    );
  }
  if (!prefix) {
    errors.push(`region ${JSON.stringify(region)} is not an AWS region code such as us-east-1.`);
  } else {
    for (const id of azIds) {
      if (!new RegExp(`^${prefix}-az\\d+$`).test(id)) {
        errors.push(`${AZ_IDS_KEY}: ${JSON.stringify(id)} is not an AZ ID of ${region} (expected ${prefix}-az<N>).`);
      }
    }
  }
  for (const id of azIds.filter((x) => MSK_UNSUPPORTED_AZ_IDS.includes(x))) {
    errors.push(`${AZ_IDS_KEY}: MSK does not allow client subnets in ${id}; choose another AZ ID.`);
  }
  return errors;
}

/** The AZ IDs to deploy to: the configured ones or the region's default, validated; throws listing every problem. */
export function resolveMskAzIds(region: string, configured: readonly string[] | undefined): readonly string[] {
  const azIds = configured ?? defaultMskAzIds(region);
  const errors = validateMskAzIds(region, azIds);
  if (errors.length > 0) throw new Error(`context ${AZ_IDS_KEY} (region ${region}): ${errors.join(' ')}`);
  return azIds;
}
