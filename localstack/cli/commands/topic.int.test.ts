/**
 * `topic tail` against the real local Kafka: a prefixed copy of the orders topic, envelopes and a poison
 * record on it, read back through the CLI (text and JSON, from the beginning and from now).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { kafkaBrokers, requireBackends } from '../../../test/support/backends';
import { runCliCaptured } from '../../../test/support/capture-io';
import { createTopic, deleteTopic } from '../../../test/support/isolated-resources';
import { uniqueName } from '../../../test/support/unique-name';
import { EXIT } from '../io';

jest.setTimeout(60_000);

const prefix = `${uniqueName('cli')}-`;
const topic = `${prefix}orders`;
let producer: Producer;

const envelope = (orderId: string, sequence: number) => ({
  eventId: randomUUID(),
  type: 'OrderCreated',
  version: 1,
  occurredAt: new Date().toISOString(),
  source: 'order-api',
  correlationId: `corr-${orderId}`,
  causationId: `req-${orderId}`,
  orderId,
  sequence,
  payload: {},
});
const first = envelope('order-a', 1);
const second = envelope('order-b', 1);

beforeAll(async () => {
  await requireBackends('kafka');
  await createTopic(topic, 3);
  producer = new Kafka({ clientId: 'cli-tail-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'order-a', value: JSON.stringify(first), headers: { 'event-type': 'OrderCreated' }, partition: 0 },
      { key: 'order-b', value: JSON.stringify(second), partition: 0 },
      { key: 'order-c', value: '{poison', partition: 0 },
    ],
  });
});

afterAll(async () => {
  await producer?.disconnect();
  await deleteTopic(topic);
});

const tail = (...args: string[]) => runCliCaptured(['topic', 'tail', ...args]);

describe('topic tail', () => {
  it('prints decoded envelopes one per line, poison records as UNDECODABLE, resolving the topology id by prefix', async () => {
    const r = await tail('orders', '--prefix', prefix, '--from-beginning', '--limit', '3');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toEqual([
      `${topic}[0]@0  ${'OrderCreated v1'.padEnd(21)} order=order-a seq=1 event=${first.eventId} corr=corr-order-a`,
      `${topic}[0]@1  ${'OrderCreated v1'.padEnd(21)} order=order-b seq=1 event=${second.eventId} corr=corr-order-b`,
      `${topic}[0]@2  UNDECODABLE: value is not JSON (key order-c)`,
    ]);
    expect(r.err[0]).toBe(`tailing ${topic} (3 partitions) from the beginning; Ctrl-C to stop`);
    expect(r.err[r.err.length - 1]).toBe('3 record(s)');
  });

  it('--json prints the record with headers and the whole envelope, or the error and raw value', async () => {
    const r = await tail(topic, '--from-beginning', '--limit', '3', '--json');
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      topic,
      partition: 0,
      offset: '0',
      key: 'order-a',
      headers: { 'event-type': 'OrderCreated' },
      envelope: first,
    });
    expect(lines[2]).toMatchObject({ offset: '2', key: 'order-c', error: 'value is not JSON', value: '{poison' });
  });

  it('without --from-beginning shows only records that arrive after it started', async () => {
    const running = tail(topic, '--limit', '1', '--idle', '30');
    const fresh = envelope('order-new', 2);
    // The consumer picks its starting offset when it joins; keep producing until it has seen one.
    let sent = 0;
    let done = false;
    void running.then(() => {
      done = true;
    });
    while (!done && sent < 40) {
      await producer.send({ topic, messages: [{ key: 'order-new', value: JSON.stringify(fresh), partition: 1 }] });
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const r = await running;
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(new RegExp(`^${topic}\\[1\\]@\\d+  OrderCreated v1 +order=order-new seq=2 `));
  });

  it('--idle stops a tail that has nothing more to read', async () => {
    const r = await tail(topic, '--from-beginning', '--idle', '2');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.length).toBeGreaterThanOrEqual(3);
  });

  it('an unknown topic is a clear error', async () => {
    const r = await tail(`${prefix}nope`);
    expect(r.code).toBe(EXIT.failed);
    expect(r.err[0]).toMatch(new RegExp(`^error: topic "${prefix}nope" does not exist at .*\\(known: .*${topic}`));
  });
});
