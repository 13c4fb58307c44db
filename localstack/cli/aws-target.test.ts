/**
 * `--target aws` against mocked AWS APIs (aws-sdk-client-mock): queues, topics, brokers, the API URL
 * and its key come from the stacks' CloudFormation outputs (lib/outputs.ts), never from the topology's
 * names, since CloudFormation generates the physical ones. The mocked outputs deliberately differ from
 * the topology names, so a lookup by name would fail these tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { OUTPUT_KEYS } from '../../lib/outputs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { captureIo } from '../../test/support/capture-io';
import { parseCommand } from './args';
import { describeDeployment } from './aws-deployment';
import { runCli } from './cli';
import { EXIT } from './io';
import { awsKafkaSettings, resolveQueue, TARGET_OPTIONS, targetFrom, topicName } from './target';

const cfn = mockClient(CloudFormationClient);
const apigw = mockClient(APIGatewayClient);
const sqs = mockClient(SQSClient);

const BROKERS = 'b-1.x.kafka.eu-west-1.amazonaws.com:9098,b-2.x.kafka.eu-west-1.amazonaws.com:9098';
const queueUrl = (q: QueueId) => `https://sqs.eu-west-1.amazonaws.com/123456789012/Sbx-Services-${q}-GENERATED1`;
const topic = (t: TopicId) => `generated-${t}`;

function mockStacks(prefix: string, apiUrl: string, drop?: string): void {
  const outputs = (entries: [string, string][]) =>
    entries.filter(([k]) => k !== drop).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
  cfn.on(DescribeStacksCommand, { StackName: `${prefix}-Streaming` }).resolves({
    Stacks: [
      {
        StackName: `${prefix}-Streaming`,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: outputs([
          [OUTPUT_KEYS.kafkaBrokers, BROKERS],
          ...(Object.keys(topics) as TopicId[]).map((t): [string, string] => [OUTPUT_KEYS.topicName(t), topic(t)]),
        ]),
      },
    ],
  });
  cfn.on(DescribeStacksCommand, { StackName: `${prefix}-Services` }).resolves({
    Stacks: [
      {
        StackName: `${prefix}-Services`,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: outputs([
          [OUTPUT_KEYS.apiUrl, apiUrl],
          [OUTPUT_KEYS.apiKeyId, 'key-id-1'],
          ...(Object.keys(queues) as QueueId[]).map((q): [string, string] => [OUTPUT_KEYS.queueUrl(q), queueUrl(q)]),
        ]),
      },
    ],
  });
}

const parsed = (argv: string[]) =>
  parseCommand({ path: 'x y', summary: '', positionals: [], options: TARGET_OPTIONS }, argv);
const env = { AWS_REGION: 'eu-west-1' };

beforeEach(() => {
  cfn.reset();
  apigw.reset();
  sqs.reset();
});

describe('the aws target', () => {
  it('takes topics and queue URLs from the outputs of <prefix>-Streaming / -Services, no GetQueueUrl', async () => {
    mockStacks('Sbx', 'https://api.example/v1/');
    const target = await targetFrom(parsed(['--target', 'aws', '--prefix', 'Sbx']), env);
    try {
      expect(topicName(target, 'orders')).toBe('generated-orders');
      expect(topicName(target, 'some-physical-topic')).toBe('some-physical-topic');
      expect(await resolveQueue(target, 'inventory-dlq')).toEqual({
        label: 'inventory-dlq',
        url: queueUrl('inventory-dlq'),
      });
      expect(sqs.commandCalls(GetQueueUrlCommand)).toHaveLength(0);
      expect(
        cfn
          .commandCalls(DescribeStacksCommand)
          .map((c) => c.args[0].input.StackName)
          .sort(),
      ).toEqual(['Sbx-Services', 'Sbx-Streaming']);
      expect(target.where.kafka).toBe(BROKERS);
    } finally {
      target.close();
    }
  });

  it('defaults to the OrderSaga stacks (the CDK prefix default)', async () => {
    mockStacks('OrderSaga', 'https://api.example/v1/');
    const target = await targetFrom(parsed(['--target', 'aws']), env);
    target.close();
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.StackName)).toContain(
      'OrderSaga-Services',
    );
  });

  it('Kafka: the KafkaBrokers output with IAM auth; KAFKA_BROKERS or MSK_CLUSTER_ARN override it', async () => {
    mockStacks('Sbx', 'https://api.example/v1/');
    const deployment = await describeDeployment(new CloudFormationClient({ region: 'eu-west-1' }), 'Sbx');
    expect(awsKafkaSettings(deployment, env, 'eu-west-1')).toEqual({
      clientId: 'order-cli',
      brokers: BROKERS,
      auth: 'iam',
      region: 'eu-west-1',
    });
    expect(awsKafkaSettings(deployment, { ...env, KAFKA_BROKERS: 'tunnel:9098' }, 'eu-west-1')).toMatchObject({
      brokers: 'tunnel:9098',
      auth: 'iam',
    });
    expect(
      awsKafkaSettings(deployment, { ...env, KAFKA_BROKERS: 'redpanda:9092', KAFKA_AUTH: 'none' }, 'eu-west-1'),
    ).toMatchObject({ brokers: 'redpanda:9092', auth: 'none' });
  });

  it('a missing stack or output says what to do', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id Nope-Streaming does not exist'), { name: 'ValidationError' }));
    await expect(targetFrom(parsed(['--target', 'aws', '--prefix', 'Nope']), env)).rejects.toThrow(
      /stack Nope-Streaming does not exist in this account and region: deploy it/,
    );
    cfn.reset();
    mockStacks('Old', 'https://api.example/v1/', OUTPUT_KEYS.queueUrl('payment-dlq'));
    await expect(targetFrom(parsed(['--target', 'aws', '--prefix', 'Old']), env)).rejects.toThrow(
      `stack Old-Services has no output ${OUTPUT_KEYS.queueUrl('payment-dlq')}: redeploy it`,
    );
  });
});

describe('order commands with --target aws', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such order' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  it('call the ApiUrl output (stage path kept) with the key of the ApiKeyId output as x-api-key', async () => {
    mockStacks('Sbx', `${base}/v1/`);
    apigw.on(GetApiKeyCommand, { apiKey: 'key-id-1', includeValue: true }).resolves({ id: 'key-id-1', value: 'k3y' });
    const c = captureIo({ ...env });
    expect(await runCli(['order', 'get', 'o-1', '--target', 'aws', '--prefix', 'Sbx'], c.io)).toBe(EXIT.failed);
    expect(seen.map((s) => [s.url, s.headers['x-api-key']])).toEqual([['/v1/orders/o-1', 'k3y']]);
    expect(c.err.join('\n')).toContain('NOT_FOUND');
  });

  it('--api wins over the outputs (nothing looked up)', async () => {
    const c = captureIo({ ...env, ORDER_CLI_TARGET: 'aws' });
    await runCli(['order', 'get', 'o-2', '--api', base], c.io);
    expect(seen.map((s) => s.url)).toEqual(['/orders/o-2']);
    expect(cfn.calls()).toHaveLength(0);
    expect(apigw.calls()).toHaveLength(0);
  });
});
