/**
 * `dlq redrive --to-failed-consumer` against the local Kafka and ElasticMQ: a dead letter (naming its
 * function) and a Kafka ESM failure record (naming it by ARN) are re-published with `redrive-for: <function>`,
 * so only that function processes them again (functions/shared/kafka-consumer.int.test.ts pins the consumer
 * side); a plain redrive adds no such header.
 */

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../../../functions/shared/aws-clients';
import { exhaustedKafkaRecords } from '../../../test/fixtures/dlq-messages';
import { kafkaBrokers, requireBackends } from '../../../test/support/backends';
import { captureIo } from '../../../test/support/capture-io';
import {
  createQueue,
  createTopic,
  deleteQueue,
  deleteTopic,
  produce,
  readTopic,
} from '../../../test/support/isolated-resources';
import { uniqueName } from '../../../test/support/unique-name';
import { runCli } from '../cli';
import { EXIT } from '../io';

jest.setTimeout(90_000);

const prefix = uniqueName('targeted');
const topic = `${prefix}-payments`;
let url: string;

beforeAll(async () => {
  await requireBackends('kafka', 'sqs');
  await createTopic(topic, 1);
  url = await createQueue(`${prefix}-dlq`);
});
afterAll(async () => {
  await Promise.all([deleteTopic(topic), deleteQueue(url)]);
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

it('addresses each redriven record to the function that failed it', async () => {
  const offset = await produce(topic, [
    { key: 'order-1', value: '{"n":1}', headers: { 'event-id': 'e-1' }, partition: 0 },
  ]);
  const sqs = await sqsClient();
  const deadLetter = {
    reason: 'INVALID_EVENT',
    errorName: 'PermanentError',
    errorMessage: 'bad',
    functionName: 'notification',
    source: { kind: 'kafka', topic, partition: 0, offset: 77, timestamp: Date.now() },
    record: {
      topic,
      partition: 0,
      offset: 77,
      timestamp: Date.now(),
      timestampType: 'CREATE_TIME',
      key: b64('order-2'),
      value: b64('{"n":2}'),
      headers: [{ 'event-id': [...Buffer.from('e-2')] }],
    },
  };
  const failure = exhaustedKafkaRecords({
    records: [{ lane: `${topic}-0`, position: BigInt(offset), timestampMs: Date.now() }],
    functionName: 'payment',
    errorMessage: 'down',
    bootstrapServers: kafkaBrokers().join(','),
    payloadSize: 100,
  });
  for (const body of [deadLetter, failure]) {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }));
  }

  const c = captureIo();
  const code = await runCli(['dlq', 'redrive', url, '--to-failed-consumer'], c.io);
  expect({ code, out: c.out }).toMatchObject({ code: EXIT.ok });
  expect(c.err).toContain('  note: addressed to notification only (header redrive-for)');
  expect(c.err).toContain('  note: addressed to payment only (header redrive-for)');

  const copies = (await readTopic(topic, 3)).filter((m) => m.offset > offset);
  const byKey = Object.fromEntries(copies.map((m) => [m.key, m.headers]));
  expect(byKey['order-2']).toEqual({ 'event-id': 'e-2', 'redrive-for': 'notification' });
  expect(byKey['order-1']).toEqual({ 'event-id': 'e-1', 'redrive-for': 'payment' });
});
