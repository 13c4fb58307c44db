/**
 * `dlq list` and `dlq redrive` against the real local servers, with DLQ messages made by the real producers:
 * the inventory handler's dead letter for a poison record (via the saga fixture), and ESM failure records
 * built by the runner's failure-record code for records really on Kafka (the DynamoDB Streams failure
 * record: dlq-stream.int.test.ts).
 * Each test uses its own prefixed topic and queues on the shared servers.
 */

import { Kafka, logLevel } from 'kafkajs';
import { exhaustedKafkaRecords } from '../../../test/fixtures/dlq-messages';
import { kafkaBrokers } from '../../../test/support/backends';
import { runCliCaptured } from '../../../test/support/capture-io';
import { sendToQueue as send, useDlqTestBed, visibleMessages as visible } from '../../../test/support/dlq-queues';
import { produce, readTopic } from '../../../test/support/isolated-resources';
import { localNames } from '../../runner/names';
import { EXIT } from '../io';

jest.setTimeout(90_000);

const bed = useDlqTestBed('cli');
const { prefix, newQueue } = bed;
const topic = `${prefix}orders`;
// For the admin calls that read and cut the topic's log (the records are produced by `produce`).
const kafka = new Kafka({ clientId: 'cli-dlq-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

beforeAll(() => bed.newTopic(topic, 3));

const cli = (...argv: string[]) => runCliCaptured(argv);

const produceTo = (partition: number, messages: { key: string; value: string; headers?: Record<string, string> }[]) =>
  produce(
    topic,
    messages.map((m) => ({ ...m, partition })),
  );

/** A Kafka failure record as the ESM twin builds it, for offsets first..last of one partition. */
function failureRecordFor(partition: number, first: number, last: number): string {
  const records = [];
  for (let o = first; o <= last; o += 1)
    records.push({ lane: `${topic}-${partition}`, position: BigInt(o), timestampMs: Date.now() });
  return JSON.stringify(
    exhaustedKafkaRecords({
      records,
      functionName: 'inventory',
      errorMessage: 'throttled',
      bootstrapServers: kafkaBrokers().join(','),
      payloadSize: 1000,
    }),
  );
}

describe('dlq list and redrive of a processor dead letter and a Kafka failure record', () => {
  let url: string;
  const poison = {
    key: 'order-poison',
    value: '{poison',
    headers: { 'event-type': 'OrderCreated', 'event-id': 'e-p' },
  };
  const retried = [1, 2, 3].map((n) => ({
    key: 'order-k',
    value: JSON.stringify({ n }),
    headers: { 'event-type': 'OrderCreated', 'event-id': `e-${n}` },
  }));
  let poisonOffset: number;
  let retriedBase: number;

  beforeAll(async () => {
    url = bed.fixture.dlqUrl; // the inventory function's DLQ in the fixture: the handler writes to it
    poisonOffset = await produceTo(0, [poison]);
    retriedBase = await produceTo(1, retried);
    // The real inventory handler gets the poison record and dead-letters it with its reason.
    const response = await bed.fixture.invoke([{ topic, partition: 0, offset: poisonOffset, ...poison }]);
    expect(response).toEqual({ batchItemFailures: [] });
    // The ESM gave up on the last two records of partition 1.
    await send(url, failureRecordFor(1, retriedBase + 1, retriedBase + 2));
    await send(url, 'hello, not a DLQ record');
  });

  it('lists every message with its kind and reason without consuming any', async () => {
    const r = await cli('dlq', 'list', url);
    expect(r.code).toBe(EXIT.ok);
    const text = r.out.join('\n');
    expect(r.out[0]).toBe(`${url.split('/').pop()}: 3 message(s)`);
    expect(text).toContain('dead letter (Kafka record)');
    expect(text).toMatch(/reason MALFORMED_JSON \(PermanentError: .+\) in inventory at /);
    expect(text).toContain(`source ${topic}[0]@${poisonOffset}`);
    expect(text).toContain('Kafka ESM failure record');
    expect(text).toContain('condition RetryAttemptsExhausted, 11 invocation(s), function error Unhandled, batch of 2');
    expect(text).toContain(`records ${topic}[1] offsets ${retriedBase + 1}..${retriedBase + 2}`);
    expect(text).toContain('unrecognised message');
    expect(text).toContain('not recognised: body is not JSON');
    // Nothing was consumed or left hidden: all three are visible again at once, and a second listing sees them.
    expect(await visible(url)).toBe(3);
    const again = await cli('dlq', 'list', url, '--json');
    const kinds = again.out.map((l) => JSON.parse(l).kind).sort();
    expect(kinds).toEqual(['kafka-dead-letter', 'kafka-failure', 'unknown']);
    expect(await visible(url)).toBe(3);
  });

  it('--dry-run reads the records back and publishes and deletes nothing', async () => {
    const offsets = async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await admin.fetchTopicOffsets(topic);
      } finally {
        await admin.disconnect();
      }
    };
    const before = await offsets();
    const r = await cli('dlq', 'redrive', url, '--dry-run');
    expect(r.code).toBe(EXIT.failed); // the unrecognised message cannot be redriven
    const text = r.out.join('\n');
    expect(text).toContain(`would re-publish 1 record(s) to ${topic} (${topic}[0]@${poisonOffset})`);
    expect(text).toContain(
      `would re-publish 2 record(s) to ${topic} (${topic}[1]@${retriedBase + 1}, ${topic}[1]@${retriedBase + 2})`,
    );
    expect(text).toContain('FAILED, left in the queue: not redriven: the message is not recognised (body is not JSON)');
    expect(r.out[r.out.length - 1]).toBe('2 of 3 message(s) can be redriven; 1 left in the queue.');
    expect(r.err.some((l) => /^\[\d\/3\] /.test(l))).toBe(true);
    expect(await visible(url)).toBe(3);
    expect(await offsets()).toEqual(before);
  });

  it('re-publishes the dead letter and the failure-record offsets with the same key, value and headers, then deletes them', async () => {
    const r = await cli('dlq', 'redrive', url);
    expect(r.code).toBe(EXIT.failed); // one message is not redrivable
    expect(r.out.filter((l) => l.includes('re-published'))).toHaveLength(2);
    expect(r.out[r.out.length - 1]).toBe('2 of 3 message(s) redriven; 1 left in the queue.');
    expect(r.err).toContain(
      'Redrive is safe to repeat: consumers process each event once per eventId, so a record redriven twice (or also delivered normally) has a single effect.',
    );
    // The originals (1 + 3) and the copies (1 + 2) are on the topic now.
    const all = await readTopic(topic, 7);
    const copiesOf = (m: { key: string; value: string; headers: Record<string, string> }) =>
      all.filter(
        (x) => x.key === m.key && x.value === m.value && JSON.stringify(x.headers) === JSON.stringify(m.headers),
      );
    expect(copiesOf(poison)).toHaveLength(2);
    expect(copiesOf(retried[0] as (typeof retried)[0])).toHaveLength(1);
    expect(copiesOf(retried[1] as (typeof retried)[0])).toHaveLength(2);
    expect(copiesOf(retried[2] as (typeof retried)[0])).toHaveLength(2);
    // Only the unrecognised message is left.
    const left = await cli('dlq', 'list', url, '--json');
    expect(left.out.map((l) => JSON.parse(l).kind)).toEqual(['unknown']);
  });
});

describe('dlq redrive: records past the topic retention', () => {
  it('explains that Kafka deleted them and leaves the failure record in the queue', async () => {
    const url = await newQueue(`${prefix}retention-dlq`);
    const base = await produceTo(2, [
      { key: 'old', value: '1' },
      { key: 'old', value: '2' },
      { key: 'new', value: '3' },
    ]);
    const admin = kafka.admin();
    await admin.connect();
    // What retention.ms does to old segments: the log now starts after the first two records.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 2, offset: String(base + 2) }] });
    await admin.disconnect();
    await send(url, failureRecordFor(2, base, base + 1));
    const r = await cli('dlq', 'redrive', url);
    expect(r.code).toBe(EXIT.failed);
    expect(r.out[0]).toContain(
      `FAILED, left in the queue: ${topic}[2] offsets ${base}..${base + 1} are past the topic's retention: partition 2 now starts at offset ${base + 2}`,
    );
    expect(r.out[0]).toContain('Kafka has deleted them, so they cannot be redriven');
    expect(await visible(url)).toBe(1);
  });
});

describe('queues by topology id', () => {
  it('resolves <id> under --prefix, and --all lists the DLQs that exist', async () => {
    const names = localNames(prefix);
    const url = await newQueue(names.queueName('payment-dlq'));
    await send(url, JSON.stringify({ reason: 'X', source: { kind: 'other' } }));
    const one = await cli('dlq', 'list', 'payment-dlq', '--prefix', prefix);
    expect(one.code).toBe(EXIT.ok);
    expect(one.out[0]).toBe('payment-dlq: 1 message(s)');
    const all = await cli('dlq', 'list', '--all', '--prefix', prefix);
    expect(all.code).toBe(EXIT.ok);
    expect(all.out).toContain('payment-dlq: 1 message(s)');
    expect(all.err[0]).toMatch(/^not provisioned \(skipped\): /);
    const missing = await cli('dlq', 'redrive', 'order-view-dlq', '--prefix', prefix);
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err[0]).toContain(`error: queue "${names.queueName('order-view-dlq')}" does not exist`);
  });
});
