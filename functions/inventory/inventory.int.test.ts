/**
 * inventory against DynamoDB Local and ElasticMQ, with events in the exact MSK shape: reservation
 * (all or nothing), rejection naming short SKUs, release on PaymentDeclined, duplicates, poison records
 * and transient failures.
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { type FaultProxy, startFaultProxy } from '../../test/support/dynamodb-fault-proxy';
import { useLocalBackends } from '../../test/support/isolated-resources';
import { asRecord, orderCreated, type SagaFixture, sagaFixture } from '../../test/support/saga-fixture';
import { dynamoDb } from '../shared/aws-clients';
import { TEXT_MAX_LENGTH } from '../shared/bounded-text';
import { newEvent } from '../shared/envelope';
import { rejectUnreservable, reserveStock } from './reserve';

let fx: SagaFixture;
let proxy: FaultProxy;

beforeAll(async () => {
  useLocalBackends();
  // The function talks to DynamoDB through a pass-through proxy so a test can inject throttling.
  proxy = await startFaultProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
  fx = await sagaFixture('inventory');
}, 60_000);

afterAll(async () => {
  await fx?.teardown();
  await proxy?.close();
});

beforeEach(async () => {
  proxy.setRule(() => false);
  for (const [sku, available] of [
    ['SKU-A', 10],
    ['SKU-B', 2],
    ['SKU-ZERO', 0],
  ] as const) {
    await fx.putItem('inventory', { pk: `SKU#${sku}`, sku, available, reserved: 0 });
  }
});

async function stock(sku: string) {
  const out = await dynamoDb().send(
    new GetItemCommand({ TableName: fx.tables.inventory, Key: marshall({ pk: `SKU#${sku}` }), ConsistentRead: true }),
  );
  const item = unmarshall(out.Item ?? {});
  return { available: item.available, reserved: item.reserved };
}

describe('inventory', () => {
  it('reserves every line in one transaction and emits InventoryReserved through the outbox', async () => {
    const order = orderCreated([
      { sku: 'SKU-A', quantity: 3 },
      { sku: 'SKU-B', quantity: 1 },
      { sku: 'SKU-A', quantity: 1 }, // a repeated SKU is merged
    ]);
    const res = await fx.invoke([asRecord(order)]);
    expect(res.batchItemFailures).toEqual([]);
    expect(await stock('SKU-A')).toEqual({ available: 6, reserved: 4 });
    expect(await stock('SKU-B')).toEqual({ available: 1, reserved: 1 });
    const [reserved, ...rest] = await fx.outbox(order.orderId);
    expect(rest).toEqual([]);
    expect(reserved).toMatchObject({
      type: 'InventoryReserved',
      orderId: order.orderId,
      correlationId: order.correlationId,
      causationId: order.eventId,
      sequence: 2,
      payload: {
        customerId: 'cust-1',
        items: [
          { sku: 'SKU-A', quantity: 4 },
          { sku: 'SKU-B', quantity: 1 },
        ],
        total: order.payload.total,
      },
    });
  });

  it('rejects an order when any SKU is short, naming the short SKUs, and reserves nothing', async () => {
    const order = orderCreated([
      { sku: 'SKU-A', quantity: 1 },
      { sku: 'SKU-B', quantity: 5 },
      { sku: 'SKU-UNKNOWN', quantity: 1 },
    ]);
    expect((await fx.invoke([asRecord(order)])).batchItemFailures).toEqual([]);
    expect(await stock('SKU-A')).toEqual({ available: 10, reserved: 0 });
    const [rejected] = await fx.outbox(order.orderId);
    expect(rejected?.type).toBe('InventoryRejected');
    expect(rejected?.payload).toMatchObject({
      shortages: [
        { sku: 'SKU-B', requested: 5, available: 2 },
        { sku: 'SKU-UNKNOWN', requested: 1, available: 0 },
      ],
    });
  });

  it('rejects an order of 50 unknown and short SKUs with a reason within the schema, not a dead letter', async () => {
    // 50 long SKU names make "insufficient stock for <every SKU>" about 3,300 characters, far over the
    // schema's 500: the rejection used to be refused by the outbox writer and the OrderCreated dead-lettered.
    const lines = Array.from({ length: 50 }, (_, i) => ({
      sku: i === 0 ? 'SKU-ZERO' : `SKU-UNKNOWN-${String(i).padStart(48, '0')}`,
      quantity: 1,
    }));
    const order = orderCreated(lines);
    expect((await fx.invoke([asRecord(order)])).batchItemFailures).toEqual([]);
    expect(await fx.deadLetters(1, 1500)).toEqual([]);
    const [rejected, ...rest] = await fx.outbox(order.orderId);
    expect(rest).toEqual([]);
    if (rejected?.type !== 'InventoryRejected') throw new Error(`expected InventoryRejected, got ${rejected?.type}`);
    expect(rejected.payload.shortages).toHaveLength(50);
    expect(Array.from(rejected.payload.reason).length).toBeLessThanOrEqual(TEXT_MAX_LENGTH);
    expect(rejected.payload.reason).toMatch(/^insufficient stock for SKU-UNKNOWN-0+1, .* and \d+ more$/);
    expect(await stock('SKU-ZERO')).toEqual({ available: 0, reserved: 0 });
  });

  it('ends an order whose reservation cannot be built with a rejection naming the reason, once', async () => {
    const order = orderCreated([
      { sku: 'SKU-A', quantity: 2 },
      { sku: 'SKU-B', quantity: 1 },
    ]);
    const deps = {
      inventoryTable: fx.tables.inventory,
      ordersTable: fx.tables.orders,
      outboxTopic: 'inventory',
      source: 'inventory',
    };
    await expect(rejectUnreservable(order, 'INVALID_EVENT: could not build it', deps)).resolves.toBe('processed');
    await expect(rejectUnreservable(order, 'INVALID_EVENT: could not build it', deps)).resolves.toBe('duplicate');
    const events = await fx.outbox(order.orderId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'InventoryRejected',
      causationId: order.eventId,
      payload: {
        reason: 'INVALID_EVENT: could not build it',
        shortages: [
          { sku: 'SKU-A', requested: 2, available: 0 },
          { sku: 'SKU-B', requested: 1, available: 0 },
        ],
      },
    });
    expect(await stock('SKU-A')).toEqual({ available: 10, reserved: 0 });
    // once rejected, the order can no longer be reserved by a late redelivery
    await expect(reserveStock(order, deps)).resolves.toBe('duplicate');
  });

  it('has one effect for the same record twice in a batch and the same batch twice', async () => {
    const order = orderCreated([{ sku: 'SKU-A', quantity: 2 }]);
    const batch = [asRecord(order, 0, 10), asRecord(order, 0, 11)];
    expect((await fx.invoke(batch)).batchItemFailures).toEqual([]);
    expect((await fx.invoke(batch)).batchItemFailures).toEqual([]);
    expect(await stock('SKU-A')).toEqual({ available: 8, reserved: 2 });
    expect(await fx.outbox(order.orderId)).toHaveLength(1);
  });

  it('has one effect for concurrent duplicates without any idempotency record (the reservation is the marker)', async () => {
    const order = orderCreated([{ sku: 'SKU-A', quantity: 3 }]);
    // Two environments handle the same record at once; a transaction conflict is reported and retried.
    const once = async (offset: number) => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        if ((await fx.invoke([asRecord(order, 0, offset)])).batchItemFailures.length === 0) return;
      }
      throw new Error('still failing after 5 attempts');
    };
    await Promise.all([once(20), once(21), once(22)]);
    expect(await stock('SKU-A')).toEqual({ available: 7, reserved: 3 });
    expect(await fx.outbox(order.orderId)).toHaveLength(1);
    const records = await dynamoDb().send(new ScanCommand({ TableName: fx.tables.idempotency, ConsistentRead: true }));
    expect(records.Items ?? []).toEqual([]);
  });

  it('detects a re-run whose idempotency record was lost (crash after the write) as a duplicate', async () => {
    const order = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const deps = {
      inventoryTable: fx.tables.inventory,
      ordersTable: fx.tables.orders,
      outboxTopic: 'inventory',
      source: 'inventory',
    };
    await expect(reserveStock(order, deps)).resolves.toBe('processed');
    await expect(reserveStock(order, deps)).resolves.toBe('duplicate');
    expect(await stock('SKU-A')).toEqual({ available: 9, reserved: 1 });
  });

  it('releases the reservation on PaymentDeclined (compensation), once', async () => {
    const order = orderCreated([{ sku: 'SKU-B', quantity: 2 }], 'cust-declined');
    await fx.invoke([asRecord(order)]);
    const [reserved] = await fx.outbox(order.orderId);
    if (reserved?.type !== 'InventoryReserved') throw new Error('expected InventoryReserved');
    const declined = newEvent({
      type: 'PaymentDeclined',
      orderId: order.orderId,
      source: 'payment',
      cause: reserved,
      payload: {
        customerId: 'cust-declined',
        paymentId: uuidv7(),
        amount: reserved.payload.total,
        reason: 'LIMIT_EXCEEDED',
        message: 'over',
      },
    });
    const record = { ...asRecord(declined), offset: 3 };
    expect((await fx.invoke([record, record])).batchItemFailures).toEqual([]);
    expect((await fx.invoke([record])).batchItemFailures).toEqual([]);
    expect(await stock('SKU-B')).toEqual({ available: 2, reserved: 0 });
    const events = await fx.outbox(order.orderId);
    expect(events.map((e) => e.type).sort()).toEqual(['InventoryReleased', 'InventoryReserved']);
    expect(events.find((e) => e.type === 'InventoryReleased')).toMatchObject({
      sequence: 4,
      causationId: declined.eventId,
    });
  });

  it('sends poison records to the DLQ with their reason and processes the rest of the batch', async () => {
    const good = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const wrongSchema = { ...orderCreated([{ sku: 'SKU-A', quantity: 1 }]), payload: { customerId: 'x' } };
    const unknownVersion = { ...orderCreated([{ sku: 'SKU-A', quantity: 1 }]), version: 99 };
    const unknownType = { ...orderCreated([{ sku: 'SKU-A', quantity: 1 }]), type: 'OrderShipped' };
    // A value near Kafka's 1 MB default limit: rejected by its schema (bounded strings), kept by reference
    // in the dead letter because SQS takes 256 KiB.
    const huge = { ...orderCreated([{ sku: 'SKU-A', quantity: 1 }]), source: 'x'.repeat(900_000) };
    const res = await fx.invoke([
      { topic: 'orders', partition: 1, key: 'o-1', value: 'not json {' },
      { ...asRecord(wrongSchema as never), partition: 1 },
      { ...asRecord(unknownVersion as never), partition: 1 },
      { ...asRecord(unknownVersion as never), key: unknownType.orderId, value: unknownType, partition: 1 },
      { ...asRecord(huge as never), partition: 1 },
      { topic: 'orders', partition: 1, key: null, value: good },
      { ...asRecord(good), partition: 1 },
    ]);
    expect(res.batchItemFailures).toEqual([]);
    // The unknown type is skipped unchecked (inventory does not react to it), not dead-lettered.
    const letters = await fx.deadLetters(6, 2000);
    expect(letters.map((l) => l.reason).sort()).toEqual([
      'INVALID_EVENT',
      'INVALID_EVENT',
      'MALFORMED_JSON',
      'MISSING_KEY',
      // Not registered, so it carries no schema-version-id the consumer can resolve.
      'UNKNOWN_SCHEMA_VERSION',
    ]);
    for (const l of letters) {
      expect(l).toMatchObject({ functionName: 'inventory', source: { kind: 'kafka', topic: 'orders', partition: 1 } });
      expect(l.record).toHaveProperty(
        l.errorMessage && String(l.errorMessage).includes('/source') ? 'omitted' : 'value',
      );
    }
    expect(await fx.outbox(good.orderId)).toHaveLength(1);
  });

  it('reports a throttled record and the later records of its key, and processes other keys', async () => {
    const throttled = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const other = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const later = newEvent({
      type: 'PaymentDeclined',
      orderId: throttled.orderId,
      source: 'payment',
      cause: { ...throttled, sequence: 2 },
      payload: {
        customerId: 'cust-1',
        paymentId: uuidv7(),
        amount: throttled.payload.total,
        reason: 'LIMIT_EXCEEDED',
        message: 'x',
      },
    });
    proxy.setRule((call) => call.operation === 'TransactWriteItems' && call.body.includes(throttled.orderId));
    const res = await fx.invoke([
      asRecord(throttled, 0, 20),
      asRecord(other, 0, 21),
      { ...asRecord(later), topic: 'orders', partition: 0, offset: 22 },
    ]);
    expect(res.batchItemFailures).toEqual([
      { itemIdentifier: { partition: 'orders-0', offset: 20 } },
      { itemIdentifier: { partition: 'orders-0', offset: 22 } },
    ]);
    expect(proxy.injected()).toBeGreaterThan(1); // the SDK retried before giving up
    expect(await fx.outbox(other.orderId)).toHaveLength(1);
    // after the throttling ends, the retry applies the effect exactly once
    proxy.setRule(() => false);
    expect((await fx.invoke([asRecord(throttled, 0, 20)])).batchItemFailures).toEqual([]);
    expect(await fx.outbox(throttled.orderId)).toHaveLength(1);
  }, 60_000);
});
