/**
 * The relay's (and the CLI's) MSK mode without a cluster: the settings KAFKA_AUTH selects, the kafkajs
 * configuration (TLS, SASL/OAUTHBEARER), the bootstrap lookup against a mocked MSK API, and the token
 * itself, decoded and checked against the format aws-msk-iam-sasl-signer-js documents: a base64url
 * (unpadded) SigV4-presigned GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect
 * with X-Amz-Algorithm, -Credential (…/<region>/kafka-cluster/aws4_request), -Date, -Expires (≤ 900),
 * -SignedHeaders=host, -Signature (and -Security-Token for temporary credentials) plus User-Agent.
 * https://github.com/aws/aws-msk-iam-sasl-signer-js (README, src/getMSKAuthToken.ts)
 */
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { mockClient } from 'aws-sdk-client-mock';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigError } from './config';
import { kafkaConfig, kafkaSettingsFromEnv } from './kafka-producer';

const kafka = mockClient(KafkaClient);
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/order-saga/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab-2';
const IAM_BROKERS =
  'b-1.ordersaga.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.ordersaga.abc.c2.kafka.eu-west-1.amazonaws.com:9098';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE01',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'session-token-example',
};
const saved = { ...process.env };

beforeEach(() => {
  kafka.reset();
  Object.assign(process.env, CREDENTIALS);
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  for (const k of Object.keys(CREDENTIALS)) delete process.env[k];
  Object.assign(process.env, saved);
});

async function tokenOf(config: KafkaConfig): Promise<string> {
  const sasl = config.sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>;
  return (await sasl.oauthBearerProvider()).value;
}

describe('kafkaSettingsFromEnv: KAFKA_AUTH', () => {
  it('takes KAFKA_BROKERS with KAFKA_AUTH=iam and the region (the relay in AWS)', () => {
    expect(
      kafkaSettingsFromEnv('relay', { KAFKA_BROKERS: IAM_BROKERS, KAFKA_AUTH: 'iam', AWS_REGION: 'eu-west-1' }),
    ).toEqual({ clientId: 'relay', brokers: IAM_BROKERS, auth: 'iam', region: 'eu-west-1' });
  });

  it('rejects an unknown KAFKA_AUTH, naming the variable and the choices', () => {
    expect(() => kafkaSettingsFromEnv('relay', { KAFKA_BROKERS: 'h:9092', KAFKA_AUTH: 'scram' })).toThrow(
      new ConfigError('KAFKA_AUTH must be one of none, iam, got "scram"'),
    );
  });

  it('rejects KAFKA_AUTH=none with only a cluster ARN (its lookup is IAM brokers)', () => {
    expect(() => kafkaSettingsFromEnv('cli', { MSK_CLUSTER_ARN: CLUSTER_ARN, KAFKA_AUTH: 'none' })).toThrow(
      /KAFKA_AUTH=none needs KAFKA_BROKERS/,
    );
  });
});

describe('kafkaConfig', () => {
  it('plain brokers: no TLS, no SASL, nothing looked up (the local path)', async () => {
    const config = await kafkaConfig({ clientId: 'relay', brokers: '127.0.0.1:9092, 127.0.0.1:9093' });
    expect(config.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
    expect(kafka.calls()).toHaveLength(0);
  });

  it('brokers + IAM: TLS and SASL/OAUTHBEARER with the given brokers, no MSK API call', async () => {
    const config = await kafkaConfig({ clientId: 'relay', brokers: IAM_BROKERS, auth: 'iam', region: 'eu-west-1' });
    expect(config.brokers).toEqual(IAM_BROKERS.split(','));
    expect(config.ssl).toBe(true);
    expect((config.sasl as SASLOptions).mechanism).toBe('oauthbearer');
    expect(kafka.calls()).toHaveLength(0);
  });

  it('IAM without a region fails naming AWS_REGION', async () => {
    await expect(kafkaConfig({ clientId: 'relay', brokers: IAM_BROKERS, auth: 'iam' })).rejects.toThrow(
      /KAFKA_AUTH=iam needs AWS_REGION/,
    );
  });

  it('cluster ARN: looks up the IAM bootstrap brokers in the ARN region, then TLS + IAM', async () => {
    kafka.on(GetBootstrapBrokersCommand).resolves({ BootstrapBrokerStringSaslIam: IAM_BROKERS });
    const config = await kafkaConfig({ clientId: 'cli', mskClusterArn: CLUSTER_ARN });
    expect(kafka.commandCalls(GetBootstrapBrokersCommand).map((c) => c.args[0].input)).toEqual([
      { ClusterArn: CLUSTER_ARN },
    ]);
    expect(await kafka.call(0).thisValue.config.region()).toBe('eu-west-1');
    expect(config.brokers).toEqual(IAM_BROKERS.split(','));
    expect(config.ssl).toBe(true);
    expect(new URL(Buffer.from(await tokenOf(config), 'base64url').toString()).hostname).toBe(
      'kafka.eu-west-1.amazonaws.com',
    );
  });

  it('cluster ARN without IAM brokers fails naming the cluster', async () => {
    kafka.on(GetBootstrapBrokersCommand).resolves({ BootstrapBrokerStringTls: 'b-1:9094' });
    await expect(kafkaConfig({ clientId: 'cli', mskClusterArn: CLUSTER_ARN })).rejects.toThrow(
      new ConfigError(`MSK cluster ${CLUSTER_ARN} has no IAM bootstrap brokers (is IAM auth on?)`),
    );
  });
});

describe('the OAUTHBEARER token', () => {
  it('is the documented base64url presigned kafka-cluster:Connect URL, signed for the region', async () => {
    const config = await kafkaConfig({ clientId: 'relay', brokers: IAM_BROKERS, auth: 'iam', region: 'eu-west-1' });
    const before = Date.now();
    const token = await tokenOf(config);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/); // base64url alphabet, no padding

    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://kafka.eu-west-1.amazonaws.com/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('kafka-cluster:Connect');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    const [keyId, date, region, service, terminator] = (q.get('X-Amz-Credential') ?? '').split('/');
    expect([keyId, region, service, terminator]).toEqual([
      CREDENTIALS.AWS_ACCESS_KEY_ID,
      'eu-west-1',
      'kafka-cluster',
      'aws4_request',
    ]);
    expect(q.get('X-Amz-Date')).toMatch(new RegExp(`^${date}T\\d{6}Z$`));
    const signedAt = Date.parse(
      (q.get('X-Amz-Date') ?? '').replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Math.abs(signedAt - before)).toBeLessThan(60_000);
    expect(Number(q.get('X-Amz-Expires'))).toBeGreaterThan(0);
    expect(Number(q.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    expect(q.get('X-Amz-SignedHeaders')).toBe('host');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(q.get('X-Amz-Security-Token')).toBe(CREDENTIALS.AWS_SESSION_TOKEN);
    expect(q.get('User-Agent')).toMatch(/^aws-msk-iam-sasl-signer-js\/\d+\.\d+\.\d+/);
  });
});
