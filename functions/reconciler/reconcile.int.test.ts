/**
 * The reconciler against DynamoDB Local: orders written by order-api's createOrder, found through the
 * sparse open-orders index, re-driven (outbox items marked for the relay, a history step), expired
 * (EXPIRED + a valid OrderExpired in the outbox, one transaction), and settled once inventory and
 * payment have let go. Also holds the code to the exact IAM grants the topology gives it.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { functions } from '../../lib/topology';
import { indexedOpenOrders, outboxItems, placeOrder, reconcilerFixture } from '../../test/support/reconciler-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { type OrderItem, orderKey } from '../order-api/order-model';
import { dynamoDb } from '../shared/aws-clients';
import { validateEvent } from '../shared/validation';
import { expire, redrive } from './actions';
import { reconcile } from './reconcile';
import { outboxEvents, readOrder } from './store';

const fx = useFixture(() => reconcilerFixture('reconciler'));

const later = (from: string, seconds: number) => new Date(Date.parse(from) + seconds * 1000);

async function order(orderId: string) {
  const out = await dynamoDb().send(
    new GetItemCommand({ TableName: fx.tables.orders, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
  );
  return unmarshall(out.Item ?? {});
}

describe('reconciler (DynamoDB Local)', () => {
  it('re-drives a stalled order once per deadline, expires it at the expiry deadline, settles it when nothing is held', async () => {
    const created = await placeOrder(fx.tables.orders);
    expect(await indexedOpenOrders(fx.tables.orders)).toContain(created.orderId);

    // Younger than the re-drive deadline: untouched.
    const early = await reconcile(fx.deps, { now: later(created.createdAt, 60) });
    expect(early.redriven).toEqual([]);
    expect(early.oldestOpenOrderAgeSeconds).toBeGreaterThanOrEqual(60);

    const first = await reconcile(fx.deps, { now: later(created.createdAt, 121) });
    expect(first.redriven).toEqual([created.orderId]);
    const [outbox] = await outboxItems(fx.tables.orders, created.orderId);
    expect(outbox).toMatchObject({
      type: 'OrderCreated',
      redriveCount: 1,
      redrivenAt: later(created.createdAt, 121).toISOString(),
    });
    let item = await order(created.orderId);
    expect(item.history.map((h: { eventType: string }) => h.eventType)).toEqual(['OrderCreated', 'OrderRedriven']);
    expect(item.history[1].detail).toMatch(/re-driven: no progress for 121 s, 1 outbox event\(s\) published again/);

    // Re-driven 30 s ago: not again until the deadline has passed since.
    expect((await reconcile(fx.deps, { now: later(created.createdAt, 151) })).redriven).toEqual([]);
    expect((await reconcile(fx.deps, { now: later(created.createdAt, 241) })).redriven).toEqual([created.orderId]);

    const expiry = await reconcile(fx.deps, { now: later(created.createdAt, 900) });
    expect(expiry.expired).toEqual([created.orderId]);
    item = await order(created.orderId);
    expect(item.status).toBe('EXPIRED');
    expect(item.history.at(-1)).toMatchObject({ eventType: 'OrderExpired' });
    expect(item.history.at(-1).detail).toBe('expired (TIMEOUT): order still PENDING 900 s after it was placed');
    const expired = (await outboxItems(fx.tables.orders, created.orderId)).find((o) => o.type === 'OrderExpired');
    const event = JSON.parse(String(expired?.envelope));
    expect(validateEvent(event).ok).toBe(true);
    expect(event).toMatchObject({
      source: 'reconciler',
      sequence: 2,
      payload: { reason: 'TIMEOUT', lastStatus: 'PENDING' },
    });
    // Applied once, as order-view would see it (it recognises duplicates by the history's eventIds).
    const ids = item.history.map((h: { eventId: string }) => h.eventId);
    expect(ids[0]).toBe(created.eventId);
    expect(ids.filter((id: string) => id === event.eventId)).toHaveLength(1);
    // Still marked open: inventory and payment have not let go yet.
    expect(await indexedOpenOrders(fx.tables.orders)).toContain(created.orderId);

    const unsettled = await reconcile(fx.deps, { now: later(created.createdAt, 960) });
    expect(unsettled.settled).toEqual([]);
    expect(unsettled.redriven).toEqual([]); // the expiry itself counts as the last re-drive
    const redriveExpiry = await reconcile(fx.deps, { now: later(created.createdAt, 1021) });
    expect(redriveExpiry.redriven).toEqual([created.orderId]);
    expect((await outboxItems(fx.tables.orders, created.orderId)).find((o) => o.type === 'OrderExpired')).toMatchObject(
      {
        redriveCount: 1,
      },
    );

    // Inventory and payment handled OrderExpired (their tombstones): the order leaves the index.
    const tombstone = (table: string, pk: string) =>
      dynamoDb().send(new PutItemCommand({ TableName: table, Item: marshall({ pk, status: 'EXPIRED' }) }));
    await tombstone(fx.tables.inventory, `RESERVATION#${created.orderId}`);
    expect((await reconcile(fx.deps, { now: later(created.createdAt, 1030) })).settled).toEqual([]);
    await tombstone(fx.tables.payments, `PAYMENT#${created.orderId}`);
    const settled = await reconcile(fx.deps, { now: later(created.createdAt, 1031) });
    expect(settled.settled).toEqual([created.orderId]);
    expect(await indexedOpenOrders(fx.tables.orders)).not.toContain(created.orderId);
    expect((await order(created.orderId)).status).toBe('EXPIRED');
  }, 60_000);

  it('leaves progressing orders alone and loses cleanly to a concurrent order-view write', async () => {
    const created = await placeOrder(fx.tables.orders);
    // order-view applied an event 10 s before the run: progress.
    await dynamoDb().send(
      new PutItemCommand({
        TableName: fx.tables.orders,
        Item: marshall(
          { ...(await order(created.orderId)), lastProgressAt: later(created.createdAt, 200).toISOString() },
          { convertClassInstanceToMap: true },
        ),
      }),
    );
    const run = await reconcile(fx.deps, { now: later(created.createdAt, 210) });
    expect(run.redriven).not.toContain(created.orderId);
    expect(run.expired).not.toContain(created.orderId);

    // The reconciler read the order, then order-view moved it (version + 1): both actions lose.
    const stale = (await readOrder(fx.tables.orders, created.orderId)) as OrderItem;
    await dynamoDb().send(
      new UpdateItemCommand({
        TableName: fx.tables.orders,
        Key: marshall(orderKey(created.orderId)),
        UpdateExpression: 'SET version = version + :one, #s = :reserved',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':one': 1, ':reserved': 'RESERVED' }),
      }),
    );
    const events = await outboxEvents(fx.tables.orders, created.orderId);
    expect(await expire(fx.deps, stale, events, later(created.createdAt, 901))).toBe('raced');
    expect(await redrive(fx.deps, stale, events, later(created.createdAt, 901))).toBe('raced');
    const item = await order(created.orderId);
    expect(item.status).toBe('RESERVED');
    expect(item.history).toHaveLength(1);
    expect((await outboxItems(fx.tables.orders, created.orderId)).map((o) => [o.type, o.redrivenAt])).toEqual([
      ['OrderCreated', undefined],
    ]);
  }, 30_000);

  it('calls DynamoDB only with the actions and on the tables and index its IAM grants allow', async () => {
    fx.clearCalls();
    const created = await placeOrder(fx.tables.orders);
    fx.clearCalls(); // order-api's writes are not the reconciler's
    await reconcile(fx.deps, { now: later(created.createdAt, 121) });
    await reconcile(fx.deps, { now: later(created.createdAt, 900) });
    await reconcile(fx.deps, { now: later(created.createdAt, 1100) });
    const grants = functions.reconciler.exactGrants ?? {};
    const tableIdOf = (name: string) =>
      (Object.entries(fx.tables).find(([, n]) => n === name)?.[0] ?? `unknown table ${name}`) as keyof typeof grants;
    const used = new Set<string>();
    for (const call of fx.calls) {
      const grant = grants[tableIdOf(call.table)];
      // A transaction item is authorised by the item action it performs (Put → PutItem, Update → UpdateItem).
      const action = `dynamodb:${call.operation.replace(/^TransactWriteItems:(\w+)$/, '$1Item')}`;
      const allowed = call.index ? (grant?.indexes?.[call.index] ?? []) : (grant?.actions ?? []);
      expect({ call, allowed: allowed.includes(action) }).toEqual({ call, allowed: true });
      used.add(`${tableIdOf(call.table)}${call.index ? `/${call.index}` : ''} ${action}`);
    }
    // And every granted action is used: nothing granted beyond what the code calls.
    const granted = Object.entries(grants).flatMap(([t, g]) => [
      ...(g?.actions ?? []).map((a) => `${t} ${a}`),
      ...Object.entries(g?.indexes ?? {}).flatMap(([i, actions]) => actions.map((a) => `${t}/${i} ${a}`)),
    ]);
    expect([...used].sort()).toEqual(granted.sort());
  }, 60_000);
});
