/**
 * Every interleaving of an order's expiry with the saga steps still in flight, against DynamoDB Local,
 * through the real reactions (inventory, payment, order-view): whichever arrives first, the order ends
 * EXPIRED with no stock held and no money held, and nothing happens twice (docs/design.md
 * "Deadlines and reconciliation", the rules table).
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { indexedOpenOrders, outboxItems, placeOrder, reconcilerFixture } from '../../test/support/reconciler-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { releaseForExpiry } from '../inventory/expire';
import { releaseStock } from '../inventory/release';
import { reserveStock } from '../inventory/reserve';
import { orderKey } from '../order-api/order-model';
import { updateOrderView } from '../order-view/update-view';
import { authorizePayment } from '../payment/authorize-payment';
import { voidForExpiry } from '../payment/void-payment';
import { dynamoDb } from '../shared/aws-clients';
import { type AnyEventEnvelope, type EventOf, newEvent } from '../shared/envelope';
import { reconcile } from './reconcile';
import { outboxEvents } from './store';

const fx = useFixture(() => reconcilerFixture('expiry-races'));
const SKU = 'SKU-RACE';
beforeAll(async () => {
  await dynamoDb().send(
    new PutItemCommand({
      TableName: fx.tables.inventory,
      Item: marshall({ pk: `SKU#${SKU}`, sku: SKU, available: 100, reserved: 0 }),
    }),
  );
}, 60_000);

const inventoryDeps = () => ({
  inventoryTable: fx.tables.inventory,
  ordersTable: fx.tables.orders,
  outboxTopic: 'inventory',
  source: 'inventory',
});
const paymentDeps = () => ({
  paymentsTable: fx.tables.payments,
  ordersTable: fx.tables.orders,
  outboxTopic: 'payments',
  source: 'payment',
  limitMinor: 500_000,
});

async function get(table: string, key: Record<string, string>) {
  const out = await dynamoDb().send(new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}
const stock = async () => get(fx.tables.inventory, { pk: `SKU#${SKU}` });
const types = async (orderId: string) => (await outboxEvents(fx.tables.orders, orderId)).map((e) => e.type);

/** A placed order, expired by the reconciler run at the expiry deadline; returns its events. */
async function expiredOrder(before?: (created: EventOf<'OrderCreated'>) => Promise<void>) {
  const placed = await placeOrder(fx.tables.orders, 'cust-race', SKU, 3);
  const [created] = (await outboxEvents(fx.tables.orders, placed.orderId)) as [EventOf<'OrderCreated'>];
  await before?.(created);
  const run = await reconcile(fx.deps, { now: new Date(Date.parse(placed.createdAt) + 900_000) });
  expect(run.expired).toContain(placed.orderId);
  const expired = (await outboxEvents(fx.tables.orders, placed.orderId)).find(
    (e): e is EventOf<'OrderExpired'> => e.type === 'OrderExpired',
  );
  if (!expired) throw new Error('no OrderExpired');
  return { orderId: placed.orderId, created, expired };
}

function reservedFor(created: EventOf<'OrderCreated'>, all: readonly AnyEventEnvelope[]) {
  const reserved = all.find((e): e is EventOf<'InventoryReserved'> => e.type === 'InventoryReserved');
  if (!reserved) throw new Error(`order ${created.orderId} has no InventoryReserved`);
  return reserved;
}

describe('expiry races (DynamoDB Local)', () => {
  it('inventory: OrderExpired before OrderCreated leaves a tombstone, so the late OrderCreated reserves nothing', async () => {
    const before = Number((await stock())?.available);
    const { orderId, created, expired } = await expiredOrder();
    expect(await releaseForExpiry(expired, inventoryDeps())).toBe('processed');
    expect(await reserveStock(created, inventoryDeps())).toBe('duplicate');
    expect(await releaseForExpiry(expired, inventoryDeps())).toBe('duplicate');
    expect((await get(fx.tables.inventory, { pk: `RESERVATION#${orderId}` }))?.status).toBe('EXPIRED');
    expect(Number((await stock())?.available)).toBe(before);
    expect(await types(orderId)).toEqual(['OrderCreated', 'OrderExpired']);
  });

  it('inventory: a reservation made before (or for) an expired order is released exactly once', async () => {
    const before = await stock();
    const { orderId, created, expired } = await expiredOrder();
    // inventory was down until after the expiry: it handles OrderCreated, then OrderExpired (one partition).
    expect(await reserveStock(created, inventoryDeps())).toBe('processed');
    expect(Number((await stock())?.available)).toBe(Number(before?.available) - 3);
    expect(await releaseForExpiry(expired, inventoryDeps())).toBe('processed');
    expect(await reserveStock(created, inventoryDeps())).toBe('duplicate'); // redelivered
    const events = await outboxEvents(fx.tables.orders, orderId);
    // A PaymentDeclined for it (payment ran in between) finds it released: no second release.
    const declined = newEvent({
      type: 'PaymentDeclined',
      orderId,
      source: 'payment',
      cause: reservedFor(created, events),
      payload: {
        customerId: 'cust-race',
        paymentId: expired.eventId,
        amount: created.payload.total,
        reason: 'LIMIT_EXCEEDED',
        message: 'over',
      },
    });
    expect(await releaseStock(declined, inventoryDeps())).toBe('duplicate');
    expect(await stock()).toMatchObject({ available: before?.available, reserved: before?.reserved });
    expect((await types(orderId)).sort()).toEqual(
      ['OrderCreated', 'OrderExpired', 'InventoryReserved', 'InventoryReleased'].sort(),
    );
    const released = (await outboxEvents(fx.tables.orders, orderId)).find((e) => e.type === 'InventoryReleased');
    expect(released?.payload).toMatchObject({ reason: 'order expired: TIMEOUT', items: [{ sku: SKU, quantity: 3 }] });
  });

  it('payment: OrderExpired before InventoryReserved leaves a tombstone, so nothing is authorised', async () => {
    const { orderId, created, expired } = await expiredOrder();
    expect(await voidForExpiry(expired, paymentDeps())).toBe('processed');
    await reserveStock(created, inventoryDeps());
    const reserved = reservedFor(created, await outboxEvents(fx.tables.orders, orderId));
    expect(await authorizePayment(reserved, paymentDeps())).toBe('duplicate');
    expect((await get(fx.tables.payments, { pk: `PAYMENT#${orderId}` }))?.status).toBe('EXPIRED');
    expect(await types(orderId)).not.toContain('PaymentAuthorized');
  });

  it('payment: an authorisation made before the expiry is voided exactly once (PaymentVoided)', async () => {
    const { orderId, expired } = await expiredOrder(async (created) => {
      await reserveStock(created, inventoryDeps());
      const reserved = reservedFor(created, await outboxEvents(fx.tables.orders, created.orderId));
      expect(await authorizePayment(reserved, paymentDeps())).toBe('processed');
    });
    expect(await voidForExpiry(expired, paymentDeps())).toBe('processed');
    expect(await voidForExpiry(expired, paymentDeps())).toBe('duplicate');
    expect((await get(fx.tables.payments, { pk: `PAYMENT#${orderId}` }))?.status).toBe('VOIDED');
    const voided = (await outboxEvents(fx.tables.orders, orderId)).filter((e) => e.type === 'PaymentVoided');
    expect(voided).toHaveLength(1);
    expect(voided[0]?.payload).toMatchObject({ reason: 'ORDER_EXPIRED', amount: { amount: 1500, currency: 'EUR' } });
  });

  it('order-view: events arriving after the expiry add history but the order stays EXPIRED and marked until settled', async () => {
    const { orderId, created, expired } = await expiredOrder();
    await reserveStock(created, inventoryDeps());
    const reserved = reservedFor(created, await outboxEvents(fx.tables.orders, orderId));
    await authorizePayment(reserved, paymentDeps());
    for (const e of await outboxEvents(fx.tables.orders, orderId)) await updateOrderView(fx.tables.orders, e);
    const item = await get(fx.tables.orders, orderKey(orderId));
    expect(item?.status).toBe('EXPIRED');
    // Causal order: InventoryReserved and OrderExpired both follow OrderCreated (this test's clock puts the expiry later).
    expect(item?.history.map((h: { eventType: string }) => h.eventType)).toEqual([
      'OrderCreated',
      'InventoryReserved',
      'OrderExpired',
      'PaymentAuthorized',
    ]);
    expect(await indexedOpenOrders(fx.tables.orders)).toContain(orderId);
    // The compensations run; the next reconciler run settles it.
    await releaseForExpiry(expired, inventoryDeps());
    await voidForExpiry(expired, paymentDeps());
    const run = await reconcile(fx.deps, { now: new Date(Date.now() + 1_000_000) });
    expect(run.settled).toContain(orderId);
    expect(await indexedOpenOrders(fx.tables.orders)).not.toContain(orderId);
  });

  /** Confirms an order through the real reactions and order-view; returns its events (notification not yet sent). */
  async function confirmedOrder(customerId: string) {
    const placed = await placeOrder(fx.tables.orders, customerId, SKU, 1);
    const [created] = (await outboxEvents(fx.tables.orders, placed.orderId)) as [EventOf<'OrderCreated'>];
    await reserveStock(created, inventoryDeps());
    const reserved = reservedFor(created, await outboxEvents(fx.tables.orders, placed.orderId));
    await authorizePayment(reserved, paymentDeps());
    const events = await outboxEvents(fx.tables.orders, placed.orderId);
    await updateOrderView(fx.tables.orders, events[1] as AnyEventEnvelope);
    const moving = await get(fx.tables.orders, orderKey(placed.orderId));
    expect(moving?.lastProgressAt > placed.createdAt).toBe(true);
    await updateOrderView(fx.tables.orders, events[2] as AnyEventEnvelope);
    expect((await get(fx.tables.orders, orderKey(placed.orderId)))?.status).toBe('CONFIRMED');
    return { placed, authorized: events[2] as EventOf<'PaymentAuthorized'> };
  }

  const notificationFor = (authorized: EventOf<'PaymentAuthorized'>) =>
    newEvent({
      type: 'NotificationSent',
      orderId: authorized.orderId,
      source: 'notification',
      cause: authorized,
      payload: {
        customerId: authorized.payload.customerId,
        notificationId: `n-${authorized.orderId}`,
        channel: 'email',
        template: 'order-confirmed',
        causeEventType: authorized.type,
        causeEventId: authorized.eventId,
      },
    });

  it('order-view: a CONFIRMED order stays open until notified, then leaves the open-orders index at once', async () => {
    const { placed, authorized } = await confirmedOrder('cust-race');
    // Final, but the saga's last step is missing: still in the index for the reconciler.
    expect(await indexedOpenOrders(fx.tables.orders)).toContain(placed.orderId);
    await updateOrderView(fx.tables.orders, notificationFor(authorized));
    expect(await indexedOpenOrders(fx.tables.orders)).not.toContain(placed.orderId);
  });

  it('reconciler: re-drives a stranded NotificationSent of a final order, and gives up at the expiry deadline', async () => {
    // The soak found these: CONFIRMED, then the relay's batch with NotificationSent dead-lettered.
    const stranded = await confirmedOrder('cust-stranded');
    const hopeless = await confirmedOrder('cust-hopeless');
    const base = Date.parse(stranded.placed.createdAt);
    const redriven = await reconcile(fx.deps, { now: new Date(Date.now() + 121_000) });
    expect(redriven.redriven).toEqual(expect.arrayContaining([stranded.placed.orderId, hopeless.placed.orderId]));
    const marked = (await outboxItems(fx.tables.orders, stranded.placed.orderId)).find(
      (o) => o.type === 'PaymentAuthorized',
    );
    expect(marked?.redrivenAt).toBeDefined();
    // The re-published PaymentAuthorized reached notification; its NotificationSent reaches order-view.
    await updateOrderView(fx.tables.orders, notificationFor(stranded.authorized));
    expect(await indexedOpenOrders(fx.tables.orders)).not.toContain(stranded.placed.orderId);

    const late = await reconcile(fx.deps, { now: new Date(base + 901_000) });
    expect(late.unnotified).toEqual([hopeless.placed.orderId]);
    expect(late.expired).not.toContain(hopeless.placed.orderId);
    expect((await get(fx.tables.orders, orderKey(hopeless.placed.orderId)))?.status).toBe('CONFIRMED');
    expect(await indexedOpenOrders(fx.tables.orders)).not.toContain(hopeless.placed.orderId);
  });
});
