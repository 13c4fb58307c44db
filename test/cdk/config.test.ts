import { CONTEXT_KEYS, DEFAULTS, loadDeploymentConfig, resolveRegion } from '../../lib/config';

const contextOf = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('loadDeploymentConfig', () => {
  it('defaults to the cheapest sandbox: 2 x kafka.t3.small on Kafka 3.9.x, data deleted with the stacks', () => {
    const config = loadDeploymentConfig(contextOf({}), {});
    expect(config).toEqual(DEFAULTS);
    expect(config.region).toBe('us-east-1');
    expect(config.msk).toEqual({
      instanceType: 'kafka.t3.small',
      brokerCount: 2,
      volumeGiB: 10,
      kafkaVersion: '3.9.x',
    });
    expect(config.retainData).toBe(false);
    expect(config).not.toHaveProperty('alarmEmail');
    expect(config.msk).not.toHaveProperty('azIds');
  });

  it('reads mskAzIds as a comma-separated string from -c or a JSON array from cdk.json', () => {
    const fromCli = loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.mskAzIds]: 'use1-az4, use1-az6' }), {});
    expect(fromCli.msk.azIds).toEqual(['use1-az4', 'use1-az6']);
    const fromJson = loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.mskAzIds]: ['euw1-az1', 'euw1-az3'] }), {});
    expect(fromJson.msk.azIds).toEqual(['euw1-az1', 'euw1-az3']);
  });

  it.each([['us-east-1a,us-east-1b'], [['use1-az1', 2]], [42]])(
    'rejects mskAzIds=%j with a message naming the key',
    (value) => {
      expect(() => loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.mskAzIds]: value }), {})).toThrow(
        /context mskAzIds: must be AZ IDs such as use1-az1,use1-az2/,
      );
    },
  );

  it('leaves the relay unreserved unless relayReservedConcurrency is set (1..1000)', () => {
    expect(loadDeploymentConfig(contextOf({}), {})).not.toHaveProperty('relayReservedConcurrency');
    expect(
      loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.relayReservedConcurrency]: '10' }), {}).relayReservedConcurrency,
    ).toBe(10);
    for (const bad of [0, '-1', 'ten', 1001]) {
      expect(() => loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.relayReservedConcurrency]: bad }), {})).toThrow(
        /context relayReservedConcurrency: must be an integer in 1\.\.1000/,
      );
    }
  });

  it('takes the region from context, then CDK_DEFAULT_REGION, AWS_REGION, AWS_DEFAULT_REGION, else us-east-1', () => {
    const env = { CDK_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-3' };
    expect(resolveRegion(contextOf({ region: 'ap-south-1' }), env)).toBe('ap-south-1');
    expect(resolveRegion(contextOf({}), env)).toBe('eu-west-1');
    expect(resolveRegion(contextOf({}), { AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-3' })).toBe(
      'eu-west-2',
    );
    expect(resolveRegion(contextOf({}), { AWS_DEFAULT_REGION: 'eu-west-3' })).toBe('eu-west-3');
    expect(resolveRegion(contextOf({}), {})).toBe('us-east-1');
    expect(loadDeploymentConfig(contextOf({}), { CDK_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });

  it('rejects a region that is not a region code, naming where it came from', () => {
    expect(() => resolveRegion(contextOf({ region: 'Virginia' }), {})).toThrow(
      /context region: must be an AWS region code such as us-east-1, got "Virginia"/,
    );
    expect(() => resolveRegion(contextOf({}), { CDK_DEFAULT_REGION: 'us_east_1' })).toThrow(
      /CDK_DEFAULT_REGION: must be/,
    );
  });

  it('accepts strings from -c and typed values from cdk.json', () => {
    const fromCli = loadDeploymentConfig(
      contextOf({
        [CONTEXT_KEYS.mskBrokerCount]: '4',
        [CONTEXT_KEYS.mskVolumeGiB]: '100',
        [CONTEXT_KEYS.mskInstanceType]: 'kafka.m7g.large',
        [CONTEXT_KEYS.mskKafkaVersion]: '3.9.x.kraft',
        [CONTEXT_KEYS.retainData]: 'true',
        [CONTEXT_KEYS.alarmEmail]: 'ops@example.com',
        [CONTEXT_KEYS.prefix]: 'Sandbox2',
      }),
    );
    expect(fromCli.msk).toEqual({
      instanceType: 'kafka.m7g.large',
      brokerCount: 4,
      volumeGiB: 100,
      kafkaVersion: '3.9.x.kraft',
    });
    expect(fromCli.retainData).toBe(true);
    expect(fromCli.alarmEmail).toBe('ops@example.com');
    expect(fromCli.prefix).toBe('Sandbox2');

    const fromJson = loadDeploymentConfig(
      contextOf({ [CONTEXT_KEYS.mskBrokerCount]: 6, [CONTEXT_KEYS.retainData]: false }),
    );
    expect(fromJson.msk.brokerCount).toBe(6);
  });

  it.each([
    [CONTEXT_KEYS.mskBrokerCount, '3', /mskBrokerCount: must be a multiple of 2/],
    [CONTEXT_KEYS.mskBrokerCount, 'two', /mskBrokerCount: must be an integer in 2\.\.30/],
    [CONTEXT_KEYS.mskVolumeGiB, 0, /mskVolumeGiB: must be an integer in 1\.\.16384/],
    [CONTEXT_KEYS.mskKafkaVersion, '3.5.1', /needs Kafka >= 3\.6, got 3\.5\.1/],
    [CONTEXT_KEYS.mskKafkaVersion, 'latest', /mskKafkaVersion: must be an MSK Kafka version/],
    [CONTEXT_KEYS.mskInstanceType, 't3.small', /mskInstanceType: must be an MSK broker type/],
    [CONTEXT_KEYS.alarmEmail, 'not-an-email', /alarmEmail: must be an email address/],
    [CONTEXT_KEYS.retainData, 'yes', /retainData: must be true or false/],
    [CONTEXT_KEYS.logRetentionDays, 10, /logRetentionDays: must be one of 1, 3, 5, 7, 14/],
    [CONTEXT_KEYS.prefix, 'order-saga', /prefix: must be 1-20 letters\/digits/],
    [CONTEXT_KEYS.apiBurstLimit, 5, /apiBurstLimit: must be >= apiRateLimit/],
  ])('rejects %s=%j with a message naming the key', (key, value, message) => {
    expect(() => loadDeploymentConfig(contextOf({ [key]: value }), {})).toThrow(message);
  });

  it('offers exactly the finite retention periods CloudWatch Logs accepts', () => {
    expect(() => loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.logRetentionDays]: 10 }))).toThrow(
      'must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, ' +
        '2922, 3288, 3653, got 10',
    );
    expect(() => loadDeploymentConfig(contextOf({ [CONTEXT_KEYS.logRetentionDays]: 9999 }))).toThrow(
      /logRetentionDays: must be an integer in 1\.\.3653, got 9999/,
    );
  });
});
