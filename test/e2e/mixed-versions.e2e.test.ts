/**
 * Mixed versions in flight (issue #15 item 3): order-api produces OrderCreated v2 while order-view runs
 * as two builds in its consumer groups, one built for OrderCreated v1 only
 * (test/fixtures/lambda-handlers/order-view-built-for-v1.ts) and the current one, built for v2. Kafka
 * splits the partitions between them, so each receives v2 records; every order still reaches its final
 * status and nothing is dead-lettered. order-view does not react to OrderCreated, so its v1 build skips
 * the v2 records unchecked (a consumer that reacts to it, inventory, must be built for v2 first:
 * OrderCreated is BACKWARD — functions/shared/readable-version.ts, kafka-consumer.int.test.ts).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { kafkaMappings } from '../../lib/topology';
import { clientConfig } from '../../localstack/runner/endpoints';
import type { Hop } from '../../localstack/runner/lambda/hops';
import type { InvocationRecord } from '../../localstack/runner/lambda/invocation-log';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import type { AcceptedOrder } from '../support/books';
import { waitForGroupMembers } from '../support/consumer-groups';
import { readTopic, topicMessageCount, useLocalBackends } from '../support/isolated-resources';
import { placeOrder, waitForFinal } from '../support/pipeline-client';
import { countLetters, deadLetters } from '../support/pipeline-inspect';
import { uniqueName } from '../support/unique-name';

jest.setTimeout(180_000);

const V1_BUILD_SUFFIX = 'built-for-v1';
const invocations: InvocationRecord[] = [];
let pipeline: Pipeline;

beforeAll(async () => {
  useLocalBackends();
  pipeline = await startPipeline({
    prefix: `${uniqueName('mixed')}-`,
    apiPort: 0,
    retryBackoff: { baseMs: 20, capMs: 200 },
    invocationLog: (r) => invocations.push(r),
    functionOutput: () => undefined, // the counts come from the invocation log
    consumerBuilds: [
      {
        function: 'order-view',
        entry: 'test/fixtures/lambda-handlers/order-view-built-for-v1.ts',
        suffix: V1_BUILD_SUFFIX,
      },
    ],
  });
  // Both builds must own partitions of every order-view group before the first order is placed.
  const groups = kafkaMappings.filter((m) => m.function === 'order-view').map((m) => pipeline.names.consumerGroup(m));
  await waitForGroupMembers(pipeline.endpoints.kafkaBrokers, groups, 2);
}, 240_000);

afterAll(async () => {
  await pipeline?.stop();
});

/** The hops (one per record handled) of a function's invocations, by its physical name. */
const hopsOf = (functionName: string): Hop[] =>
  invocations.filter((i) => i.function === functionName).flatMap((i) => i.hops ?? []);

describe('mixed versions in flight', () => {
  it('completes every order while order-view built for v1 and for v2 both handle OrderCreated v2', async () => {
    // Keys spread over the orders topic's 6 partitions, so each build gets some: 24 orders leave one build
    // without any with probability about 2 · 2^-24. Confirmed, rejected and cancelled orders alike.
    const lines = [
      { customerId: 'cust-mixed', items: [{ sku: 'SKU-KEYBOARD', quantity: 1, unitPrice: 4999 }] },
      { customerId: 'cust-mixed', items: [{ sku: 'SKU-SOLDOUT', quantity: 1, unitPrice: 999 }] },
      { customerId: 'blocked-mixed', items: [{ sku: 'SKU-MOUSE', quantity: 1, unitPrice: 2500 }] },
    ];
    const accepted: AcceptedOrder[] = [];
    for (let i = 0; i < 24; i++) {
      const { customerId, items } = lines[i % lines.length] as (typeof lines)[number];
      accepted.push(await placeOrder(pipeline.apiUrl, customerId, items));
    }
    expect(accepted.length).toBeGreaterThan(0);

    const views = await Promise.all(accepted.map((o) => waitForFinal(pipeline.apiUrl, o.orderId, 90_000, true)));
    expect(views.map((v) => v.status).sort()).toEqual([
      ...Array(8).fill('CANCELLED'),
      ...Array(8).fill('CONFIRMED'),
      ...Array(8).fill('REJECTED'),
    ]);
    await pipeline.idle();

    // What order-api produced: every OrderCreated on the topic is v2, in the value and in its header.
    const ordersTopic = pipeline.names.topic('orders');
    const records = await readTopic(ordersTopic, await topicMessageCount(ordersTopic), 60_000);
    const versionAt = new Map<string, number>();
    for (const r of records) {
      const event = JSON.parse(r.value) as { type: string; version: number };
      if (event.type !== 'OrderCreated') continue;
      expect([event.version, r.headers['event-version']]).toEqual([2, '2']);
      versionAt.set(`${r.partition}@${r.offset}`, event.version);
    }
    expect(versionAt.size).toBeGreaterThanOrEqual(accepted.length);

    // Each build received v2 OrderCreated records and handled them (skipped: order-view does not react to
    // OrderCreated), and applied saga events of its own partitions to the read model.
    const orderView = pipeline.names.functionName('order-view');
    const builds = { 'built for v1': `${orderView}-${V1_BUILD_SUFFIX}`, 'built for v2': orderView };
    const handled = Object.entries(builds).map(([build, name]) => {
      const hops = hopsOf(name).filter((h) => h.outcome === 'ok');
      const created = hops.filter((h) => h.topic === ordersTopic && h.eventType === 'OrderCreated');
      return {
        build,
        orderCreatedV2: created.filter((h) => versionAt.get(`${h.partition}@${h.offset}`) === 2).length,
        otherEvents: hops.filter((h) => h.eventType !== 'OrderCreated').length,
        failed: hopsOf(name).filter((h) => h.outcome === 'failed').length,
      };
    });
    for (const h of handled) {
      // The build names itself in a failure message.
      expect({ build: h.build, failed: h.failed }).toEqual({ build: h.build, failed: 0 });
      expect([h.build, h.orderCreatedV2 > 0, h.otherEvents > 0]).toEqual([h.build, true, true]);
    }
    // Together they saw every order's OrderCreated (a rebalance may hand one record to both).
    expect(handled.reduce((n, h) => n + h.orderCreatedV2, 0)).toBeGreaterThanOrEqual(versionAt.size);
    // inventory (built for v2, reacting to OrderCreated) reserved or rejected on v2 records.
    const inventoryCreated = hopsOf(pipeline.names.functionName('inventory')).filter(
      (h) => h.eventType === 'OrderCreated' && h.outcome === 'ok',
    );
    expect(
      new Set(inventoryCreated.map((h) => `${h.partition}@${h.offset}`).filter((at) => versionAt.has(at))).size,
    ).toBe(versionAt.size);

    const sqs = new SQSClient(clientConfig(pipeline.endpoints, pipeline.endpoints.sqs));
    expect(countLetters(await deadLetters(sqs, pipeline))).toBe(0);
  });
});
