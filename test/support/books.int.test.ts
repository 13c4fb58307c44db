/**
 * The books against DynamoDB Local: a run whose every effect happened once is clean, and each kind of
 * defect the fault suite relies on them to find — a duplicated effect, a lost order, a double
 * authorisation, stock moved wrongly — is reported, naming the order. Small scan pages make every
 * table span several pages, so an unpaginated read would miss items and fail the clean case.
 */
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { dynamoDb } from '../../functions/shared/aws-clients';
import type { TableId } from '../../lib/topology';
import { type AcceptedOrder, checkBooks, EXPECTED_EVENTS } from './books';
import { createTable, deleteTable, useLocalBackends } from './isolated-resources';
import { uniqueName } from './unique-name';

const ids: TableId[] = ['orders', 'inventory', 'payments', 'notifications'];
const names = new Map<TableId, string>();
const tables = (t: TableId): string => {
  const name = names.get(t);
  if (!name) throw new Error(`no ${t} table in this test`);
  return name;
};

beforeAll(async () => {
  useLocalBackends();
  const prefix = uniqueName('books');
  for (const id of ids) names.set(id, (await createTable(id, prefix)).name);
}, 60_000);

afterAll(async () => {
  await Promise.all([...names.values()].map(deleteTable));
});

const put = (t: TableId, item: Record<string, unknown>) =>
  dynamoDb().send(new PutItemCommand({ TableName: tables(t), Item: marshall(item) }));

/** Writes everything a CONFIRMED order leaves behind, exactly once each; returns the accepted order. */
async function seedConfirmed(sku: string, quantity: number, authorisations = 1): Promise<AcceptedOrder> {
  const orderId = randomUUID();
  const steps = (EXPECTED_EVENTS.CONFIRMED ?? []).map((type, i) => ({
    eventId: uuidv7(),
    eventType: type,
    sequence: i + 1,
  }));
  await put('orders', { pk: `ORDER#${orderId}`, sk: 'ORDER', orderId, status: 'CONFIRMED', history: steps });
  for (const s of steps) await put('orders', { pk: `OUTBOX#${orderId}`, sk: s.eventId, orderId, type: s.eventType });
  await put('payments', { pk: `PAYMENT#${orderId}`, orderId, status: 'AUTHORIZED' });
  for (let i = 0; i < authorisations; i++)
    await put('payments', { pk: `LEDGER#${uuidv7()}`, orderId, status: 'AUTHORIZED' });
  await put('notifications', { pk: `NOTIFICATION#${orderId}#${steps[2]?.eventId}`, orderId });
  return { orderId, customerId: 'cust-books', items: [{ sku, quantity }] };
}

/** A fresh SKU whose stock moved by `taken` out of 100. */
async function seedStock(taken: number): Promise<{ sku: string; initial: Map<string, number> }> {
  const sku = `SKU-BOOKS-${randomUUID().slice(0, 8).toUpperCase()}`;
  await put('inventory', { pk: `SKU#${sku}`, sku, available: 100 - taken, reserved: taken });
  return { sku, initial: new Map([[sku, 100]]) };
}

describe('the books', () => {
  it('are clean for orders whose every effect happened once, read over many scan pages', async () => {
    const { sku, initial } = await seedStock(5);
    const orders: AcceptedOrder[] = [];
    for (let i = 0; i < 5; i++) orders.push(await seedConfirmed(sku, 1));
    const books = await checkBooks(tables, orders, initial, { pageSize: 2 });
    expect(books).toMatchObject({ orders: 5, final: 5, byStatus: { CONFIRMED: 5 } });
    expect([books.lost, books.duplicated, books.incomplete, books.stockMismatches]).toEqual([[], [], [], []]);
  });

  it('report a duplicated effect (an event twice in the outbox)', async () => {
    const { sku, initial } = await seedStock(1);
    const order = await seedConfirmed(sku, 1);
    await put('orders', {
      pk: `OUTBOX#${order.orderId}`,
      sk: uuidv7(),
      orderId: order.orderId,
      type: 'InventoryReserved',
    });
    const books = await checkBooks(tables, [order], initial, { pageSize: 2 });
    expect(books.duplicated).toEqual([`${order.orderId}: 2 × InventoryReserved in the outbox`]);
    expect(books.lost).toEqual([]);
  });

  it('report a lost order: one never written and one stuck before a final status', async () => {
    const { sku, initial } = await seedStock(0);
    const stuck = randomUUID();
    await put('orders', { pk: `ORDER#${stuck}`, sk: 'ORDER', orderId: stuck, status: 'PENDING', history: [] });
    const never = randomUUID();
    const books = await checkBooks(
      tables,
      [
        { orderId: stuck, customerId: 'c', items: [{ sku, quantity: 1 }] },
        { orderId: never, customerId: 'c', items: [{ sku, quantity: 1 }] },
      ],
      initial,
    );
    expect(books.lost).toEqual([`${stuck} (PENDING)`, `${never} (MISSING)`]);
    expect(books.final).toBe(0);
  });

  it('report a double authorisation of one order by the payment provider', async () => {
    const { sku, initial } = await seedStock(1);
    const order = await seedConfirmed(sku, 1);
    await put('payments', { pk: `LEDGER#${uuidv7()}`, orderId: order.orderId, status: 'AUTHORIZED' });
    const books = await checkBooks(tables, [order], initial, { pageSize: 1 });
    expect(books.duplicated).toEqual([`${order.orderId}: 2 authorisations by the payment provider`]);
  });

  it('do not count a voided authorisation, and report a confirmed order the provider never authorised', async () => {
    const { sku, initial } = await seedStock(2);
    const voidedToo = await seedConfirmed(sku, 1);
    await put('payments', { pk: `LEDGER#${uuidv7()}`, orderId: voidedToo.orderId, status: 'VOIDED' });
    const unauthorised = await seedConfirmed(sku, 1, 0);
    const books = await checkBooks(tables, [voidedToo, unauthorised], initial);
    expect(books.duplicated).toEqual([]);
    expect(books.incomplete).toEqual([`${unauthorised.orderId}: no authorisation by the payment provider`]);
  });

  it('report stock that moved by more than the confirmed orders took', async () => {
    const { sku, initial } = await seedStock(3);
    const order = await seedConfirmed(sku, 1);
    const books = await checkBooks(tables, [order], initial);
    expect(books.stockMismatches).toEqual([`${sku}: taken 3, reserved 3, expected 1`]);
  });

  it('report an order the pipeline holds that the client was never told about (its stock shows as a mismatch)', async () => {
    const { sku, initial } = await seedStock(2);
    const told = await seedConfirmed(sku, 1);
    const untold = await seedConfirmed(sku, 1);
    const books = await checkBooks(tables, [told], initial);
    expect(books.unacknowledged).toContain(`${untold.orderId} (CONFIRMED)`);
    expect(books.unacknowledged.join()).not.toContain(told.orderId);
    expect(books.stockMismatches).toEqual([`${sku}: taken 2, reserved 2, expected 1`]);
  });
});
