/**
 * Header bytes end to end on the real local servers: a poison record with a non-ASCII and a binary header
 * is produced to Kafka, consumed by the MSK mapping twin into the real inventory handler (which dead-letters
 * it to its SQS DLQ), listed and redriven by the CLI, consumed again, and tailed. At each step the header
 * bytes are those of the original record; in the events they are signed, as AWS sends them.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsClient } from '../../../functions/shared/aws-clients';
import { kafkaMappings } from '../../../lib/topology';
import { lambdaContext } from '../../../test/support/aws-events';
import { requireBackends } from '../../../test/support/backends';
import { runCliCaptured } from '../../../test/support/capture-io';
import { createTopic, deleteTopic, produce } from '../../../test/support/isolated-resources';
import { type SagaFixture, sagaFixture } from '../../../test/support/saga-fixture';
import { uniqueName } from '../../../test/support/unique-name';
import { until } from '../../../test/support/until';
import { clientConfig, endpointsFromEnv } from '../../runner/endpoints';
import type { FunctionOutcome } from '../../runner/esm/types';
import { KafkaEsm } from '../../runner/kafka/kafka-esm';
import type { MskEvent, MskRecord } from '../../runner/kafka/msk-event';
import { queueDepth } from '../dlq/queue';
import { EXIT } from '../io';

jest.setTimeout(90_000);

const prefix = `${uniqueName('hdr')}-`;
const topic = `${prefix}orders`;
const note = 'crème brûlée ë';
const binary = Buffer.from([0x00, 0x7f, 0x80, 0xc3, 0xff]); // not UTF-8: 0x80 cannot start a character
const poison = { key: 'order-headers', value: '{poison', headers: { 'event-type': 'OrderCreated', note, bin: binary } };

let fixture: SagaFixture;
let esm: KafkaEsm | undefined;
const delivered: MskRecord[] = [];

const cli = (...argv: string[]) => runCliCaptured(argv);

beforeAll(async () => {
  await requireBackends('kafka', 'sqs', 'dynamodb');
  fixture = await sagaFixture('inventory');
  await createTopic(topic, 1);
  const endpoints = endpointsFromEnv();
  esm = new KafkaEsm({
    mapping: { ...(kafkaMappings[0] as (typeof kafkaMappings)[0]), maxBatchingWindowSeconds: 0 },
    topic,
    groupId: `${prefix}group`,
    brokers: endpoints.kafkaBrokers,
    fn: {
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:inventory',
      // As Lambda does: the event crosses the invoke API as JSON.
      invoke: async (event): Promise<FunctionOutcome> => {
        const received = JSON.parse(JSON.stringify(event)) as MskEvent;
        delivered.push(...Object.values(received.records).flat());
        const payload = await fixture.handler(received as never, lambdaContext('inventory'));
        return { ok: true, payload, requestId: 'req' };
      },
    },
    failureQueueUrl: fixture.dlqUrl,
    sqs: new SQSClient(clientConfig(endpoints, endpoints.sqs)),
    region: endpoints.region,
    accountId: endpoints.accountId,
  });
  await esm.start();
});

afterAll(async () => {
  await esm?.stop();
  await deleteTopic(topic);
  await fixture?.teardown();
});

const dlqDepth = async () => (await queueDepth(await sqsClient(), fixture.dlqUrl)).visible;

describe('a record with a non-ASCII and a binary header: produce → consume → dead letter → redrive', () => {
  it('keeps every header byte, and the events carry them signed as AWS sends them', async () => {
    await produce(topic, [poison]);

    // Consumed by the twin, dead-lettered by the real handler.
    await until('the dead letter', async () => (await dlqDepth()) === 1, { timeoutMs: 45_000 });
    const first = delivered[0];
    expect(first?.headers).toEqual([
      { 'event-type': [...Buffer.from('OrderCreated')] },
      { note: [...new Int8Array(Buffer.from(note))] },
      { bin: [0, 127, -128, -61, -1] },
    ]);
    expect(first?.headers[1]?.note).toEqual(expect.arrayContaining([-61, -85])); // "ë"

    // The dead letter holds the record exactly as delivered (signed bytes), and the CLI reads it.
    const listed = await cli('dlq', 'list', fixture.dlqUrl, '--json');
    expect(listed.code).toBe(EXIT.ok);
    const [entry] = listed.out.map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ kind: 'kafka-dead-letter', reason: 'MALFORMED_JSON' });
    expect(entry.record.headers).toEqual(first?.headers);

    // Redriven to the topic: the same bytes, so the twin delivers the same signed arrays again.
    const redriven = await cli('dlq', 'redrive', fixture.dlqUrl);
    expect(redriven.code).toBe(EXIT.ok);
    expect(redriven.out[0]).toContain(`re-published 1 record(s) to ${topic}`);
    const second = await until('the redriven record', async () => delivered[1], { timeoutMs: 45_000 });
    expect(second.offset).toBe((first?.offset ?? -1) + 1);
    expect(second.headers).toEqual(first?.headers);
    expect(Buffer.from(second.value ?? '', 'base64').toString()).toBe(poison.value);
    await until('the second dead letter', async () => (await dlqDepth()) === 1, { timeoutMs: 45_000 });

    // topic tail shows the text header as text and the binary one without loss.
    const tail = await cli('topic', 'tail', topic, '--from-beginning', '--limit', '2', '--json');
    expect(tail.code).toBe(EXIT.ok);
    const lines = tail.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.headers).toEqual({ 'event-type': 'OrderCreated', note, bin: { base64: binary.toString('base64') } });
    }
  });
});
