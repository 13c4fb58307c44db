import { backendEnv, backendSettings, endpoints } from './config';
import { BackendError } from './errors';

describe('backendSettings', () => {
  test('defaults: 127.0.0.1 with Kafka 9092/9093, DynamoDB 8000, SQS 9324, state in .local and jars in .cache', () => {
    const s = backendSettings({});
    expect(s).toMatchObject({
      host: '127.0.0.1',
      kafkaPort: 9092,
      kafkaControllerPort: 9093,
      dynamodbPort: 8000,
      sqsPort: 9324,
    });
    expect(s.stateDir).toBe(`${s.root}/.local/backends`);
    expect(s.cacheDir).toBe(`${s.root}/.cache`);
    expect(s.mavenRepo).toBeUndefined();
  });

  test('every port and the host are overridable by environment variables', () => {
    const s = backendSettings({
      LOCAL_BACKENDS_HOST: 'localhost',
      LOCAL_KAFKA_PORT: '19092',
      LOCAL_KAFKA_CONTROLLER_PORT: '19093',
      LOCAL_DYNAMODB_PORT: '18000',
      LOCAL_SQS_PORT: '19324',
    });
    expect(s.kafkaControllerPort).toBe(19093);
    expect(endpoints(s)).toEqual({
      kafkaBrokers: 'localhost:19092',
      dynamodb: 'http://localhost:18000',
      sqs: 'http://localhost:19324',
    });
  });

  test.each([['0'], ['65536'], ['80a'], ['1.5'], ['-1']])(
    'rejects port %s with a message naming the variable',
    (value) => {
      expect(() => backendSettings({ LOCAL_SQS_PORT: value })).toThrow(BackendError);
      expect(() => backendSettings({ LOCAL_SQS_PORT: value })).toThrow(
        `LOCAL_SQS_PORT=${value} is not a valid TCP port`,
      );
    },
  );

  test('rejects two servers on one port', () => {
    expect(() => backendSettings({ LOCAL_DYNAMODB_PORT: '9092' })).toThrow(/same port/);
  });

  test('rejects a host that is not a host name or address', () => {
    expect(() => backendSettings({ LOCAL_BACKENDS_HOST: 'a b' })).toThrow(/LOCAL_BACKENDS_HOST/);
  });
});

describe('backendEnv', () => {
  test('standard AWS SDK v3 and Kafka variables only, with dummy credentials', () => {
    expect(backendEnv(backendSettings({ LOCAL_KAFKA_PORT: '29092' }))).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
      KAFKA_BROKERS: '127.0.0.1:29092',
    });
  });

  test('IPv6 hosts are bracketed in URLs and broker addresses', () => {
    const env = backendEnv(backendSettings({ LOCAL_BACKENDS_HOST: '::1' }));
    expect(env.AWS_ENDPOINT_URL_SQS).toBe('http://[::1]:9324');
    expect(env.KAFKA_BROKERS).toBe('[::1]:9092');
  });
});
