/**
 * order-view against DynamoDB Local: the order item (as order-api writes it) moves through its statuses
 * from MSK-shaped batches; shuffled, duplicated and concurrent deliveries always end in the same view.
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { asRecord, sagaFixture } from '../../test/support/saga-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { createOrder } from '../order-api/create-order';
import { orderKey } from '../order-api/order-model';
import { dynamoDb } from '../shared/aws-clients';
import { type AnyEventEnvelope, newEvent } from '../shared/envelope';

const fx = useFixture(() => sagaFixture('order-view'));

/** A real order (written by order-api's createOrder) and the events of one saga outcome. */
async function journey(outcome: 'CONFIRMED' | 'CANCELLED' | 'REJECTED') {
  const created = await createOrder(
    {
      request: { customerId: 'cust-view', currency: 'EUR', items: [{ sku: 'SKU-A', quantity: 2, unitPrice: 500 }] },
      requestId: uuidv7(),
      correlationId: uuidv7(),
    },
    { ordersTable: fx.tables.orders, outboxTopic: 'orders', source: 'order-api' },
  );
  const [orderCreated] = await fx.outbox(created.orderId);
  if (orderCreated?.type !== 'OrderCreated') throw new Error('order-api wrote no OrderCreated');
  const { orderId } = created;
  const customerId = 'cust-view';
  const total = orderCreated.payload.total;
  const items = [{ sku: 'SKU-A', quantity: 2 }];
  if (outcome === 'REJECTED') {
    const rejected = newEvent({
      type: 'InventoryRejected',
      orderId,
      source: 'inventory',
      cause: orderCreated,
      payload: { customerId, reason: 'short', shortages: [{ sku: 'SKU-A', requested: 2, available: 0 }] },
    });
    const note = notification(rejected);
    return { orderId, events: [orderCreated, rejected, note] as AnyEventEnvelope[] };
  }
  const reserved = newEvent({
    type: 'InventoryReserved',
    orderId,
    source: 'inventory',
    cause: orderCreated,
    payload: { customerId, reservationId: uuidv7(), items, total },
  });
  if (outcome === 'CONFIRMED') {
    const authorized = newEvent({
      type: 'PaymentAuthorized',
      orderId,
      source: 'payment',
      cause: reserved,
      payload: { customerId, paymentId: uuidv7(), amount: total },
    });
    return { orderId, events: [orderCreated, reserved, authorized, notification(authorized)] as AnyEventEnvelope[] };
  }
  const declined = newEvent({
    type: 'PaymentDeclined',
    orderId,
    source: 'payment',
    cause: reserved,
    payload: { customerId, paymentId: uuidv7(), amount: total, reason: 'LIMIT_EXCEEDED', message: 'over' },
  });
  const released = newEvent({
    type: 'InventoryReleased',
    orderId,
    source: 'inventory',
    cause: declined,
    payload: { customerId, reservationId: reserved.payload.reservationId, items, reason: 'payment declined' },
  });
  return {
    orderId,
    events: [orderCreated, reserved, declined, released, notification(declined)] as AnyEventEnvelope[],
  };
}

function notification(cause: AnyEventEnvelope) {
  return newEvent({
    type: 'NotificationSent',
    orderId: cause.orderId,
    source: 'notification',
    cause,
    payload: {
      customerId: 'cust-view',
      notificationId: uuidv7(),
      channel: 'email',
      template: 't',
      causeEventType: cause.type,
      causeEventId: cause.eventId,
    },
  });
}

async function view(orderId: string) {
  const out = await dynamoDb().send(
    new GetItemCommand({ TableName: fx.tables.orders, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
  );
  const item = unmarshall(out.Item ?? {});
  return { status: item.status, history: item.history as { eventId: string; eventType: string; sequence: number }[] };
}

/** Deliveries as four mappings would make them: one batch per topic, in a shuffled topic order, some twice. */
async function deliver(events: AnyEventEnvelope[], seed: number) {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const deliveries = [...events, ...events.filter(() => random() < 0.4)].sort(() => random() - 0.5);
  // Two concurrent invocations race on the same order item: optimistic concurrency absorbs most of it;
  // a record still failing after its attempts is reported and retried, as the ESM does.
  const half = Math.ceil(deliveries.length / 2);
  await Promise.all([retryUntilDone(deliveries.slice(0, half), 0), retryUntilDone(deliveries.slice(half), 1)]);
}

async function retryUntilDone(events: AnyEventEnvelope[], partition: number) {
  let pending = events.map((e, i) => asRecord(e, partition, i));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 10)
      throw new Error(`still failing after 10 attempts: ${JSON.stringify(pending.map((p) => p.offset))}`);
    const { batchItemFailures } = await fx.invoke(pending);
    const failed = new Set(batchItemFailures.map((f) => `${f.itemIdentifier.partition}:${f.itemIdentifier.offset}`));
    pending = pending.filter((r) => failed.has(`${r.topic}-${r.partition}:${r.offset}`));
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * attempt));
  }
}

describe('order-view', () => {
  it.each(['CONFIRMED', 'CANCELLED', 'REJECTED'] as const)(
    '%s: shuffled, duplicated, concurrent deliveries end in the same view',
    async (outcome) => {
      for (const seed of [1, 2, 3]) {
        const { orderId, events } = await journey(outcome);
        await deliver(events, seed);
        const v = await view(orderId);
        expect(v.status).toBe(outcome);
        // one step per event, in causal order, no duplicates
        expect(v.history.map((h) => h.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
        const sequences = v.history.map((h) => h.sequence);
        expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
        expect(v.history[0]?.eventType).toBe('OrderCreated');
      }
    },
    60_000,
  );

  it('applies each event once with no idempotency record, and leaves the order item alone on OrderCreated', async () => {
    const { orderId, events } = await journey('CONFIRMED');
    const before = await dynamoDb().send(
      new GetItemCommand({ TableName: fx.tables.orders, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
    );
    const [created] = events;
    if (!created) throw new Error('journey has no OrderCreated');
    expect((await fx.invoke([asRecord(created, 0, 1)])).batchItemFailures).toEqual([]);
    const after = await dynamoDb().send(
      new GetItemCommand({ TableName: fx.tables.orders, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
    );
    expect(after.Item).toEqual(before.Item); // not rewritten: order-api wrote that step with the order
    await deliver(events, 4);
    const v = await view(orderId);
    expect(v.status).toBe('CONFIRMED');
    expect(v.history.map((h) => h.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    const records = await dynamoDb().send(new ScanCommand({ TableName: fx.tables.idempotency, ConsistentRead: true }));
    expect(records.Items ?? []).toEqual([]);
  });

  it('sends an event for an unknown order to the DLQ with its reason', async () => {
    const { events } = await journey('CONFIRMED');
    const stray = { ...(events[1] as AnyEventEnvelope), orderId: uuidv7() };
    expect((await fx.invoke([asRecord(stray)])).batchItemFailures).toEqual([]);
    const [letter] = await fx.deadLetters(1);
    expect(letter).toMatchObject({ reason: 'BUSINESS_RULE', functionName: 'order-view' });
    expect(String(letter?.errorMessage)).toContain(stray.orderId);
  });
});
