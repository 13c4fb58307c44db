/**
 * "The books" of a pipeline run: for every accepted order, read back what the whole saga did and check
 * that each effect happened exactly once — final status reached, one outbox event per saga step (no
 * more, no fewer), history without duplicates, one payment and one notification where due, exactly one
 * authorisation in the payment provider's ledger for a confirmed order (none left standing otherwise),
 * and stock that moved by exactly the reserved quantities. Tables are read with paginated scans, once
 * each (not once per order). Used by the e2e, fault and soak suites; tested in books.int.test.ts.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { FINAL_STATUSES, type OrderStatus } from '../../functions/order-view/status';
import { LEDGER_PREFIX } from '../../functions/payment/ledger';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { OUTBOX_KEY_PREFIX, type TableId } from '../../lib/topology';
import { byOrder, type Item, queryAll, scanAll } from './books-scan';
export interface AcceptedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

/** Outbox events each final status implies: exactly these types, each exactly once. */
export const EXPECTED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  CONFIRMED: ['OrderCreated', 'InventoryReserved', 'PaymentAuthorized', 'NotificationSent'],
  REJECTED: ['OrderCreated', 'InventoryRejected', 'NotificationSent'],
  CANCELLED: ['OrderCreated', 'InventoryReserved', 'PaymentDeclined', 'InventoryReleased', 'NotificationSent'],
};

export interface OrderAudit {
  readonly orderId: string;
  readonly status: OrderStatus | 'MISSING';
  readonly final: boolean;
  /** Effects applied more than once, or that should not exist, in words. */
  readonly duplicates: readonly string[];
  /** Effects missing although the status is final, in words. */
  readonly missing: readonly string[];
}

export interface Books {
  readonly orders: number;
  readonly final: number;
  /** Accepted orders that did not reach a final status. */
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly incomplete: readonly string[];
  readonly byStatus: Readonly<Record<string, number>>;
  /** SKUs whose stock moved by a different amount than the confirmed orders reserved. */
  readonly stockMismatches: readonly string[];
  /**
   * Orders in the table that are not in the list checked: the pipeline took them but the client was
   * never told (e.g. no answer to any attempt). Their stock shows up as a mismatch.
   */
  readonly unacknowledged: readonly string[];
}

type Tables = (t: TableId) => string;

async function get(table: string, key: Record<string, string>) {
  const out = await dynamoDb().send(new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}

/** What the books read once per run, grouped by order. */
export interface BookIndex {
  readonly notifications: ReadonlyMap<string, readonly Item[]>;
  /** The payment provider's ledger (functions/payment/ledger.ts). */
  readonly ledger: ReadonlyMap<string, readonly Item[]>;
  readonly pageSize?: number;
}

async function readBookIndex(tables: Tables, pageSize?: number): Promise<BookIndex> {
  const [notifications, ledger] = await Promise.all([
    scanAll(tables('notifications'), { pageSize }),
    scanAll(tables('payments'), { pkPrefix: LEDGER_PREFIX, pageSize }),
  ]);
  return { notifications: byOrder(notifications), ledger: byOrder(ledger), ...(pageSize ? { pageSize } : {}) };
}

async function auditOrder(tables: Tables, order: AcceptedOrder, index: BookIndex): Promise<OrderAudit> {
  const item = await get(tables('orders'), { pk: `ORDER#${order.orderId}`, sk: 'ORDER' });
  if (!item)
    return { orderId: order.orderId, status: 'MISSING', final: false, duplicates: [], missing: ['order item'] };
  const status = item.status as OrderStatus;
  const final = FINAL_STATUSES.includes(status);
  const duplicates: string[] = [];
  const missing: string[] = [];

  const history = (item.history ?? []) as { eventId: string; eventType: string }[];
  const ids = history.map((h) => h.eventId);
  if (new Set(ids).size !== ids.length) duplicates.push('history has a repeated eventId');

  const types = (await queryAll(tables('orders'), `${OUTBOX_KEY_PREFIX}${order.orderId}`, index.pageSize)).map((i) =>
    String(i.type),
  );
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [type, n] of counts) if (n > 1) duplicates.push(`${n} × ${type} in the outbox`);
  const authorised = (index.ledger.get(order.orderId) ?? []).filter((e) => e.status === 'AUTHORIZED').length;
  if (authorised > 1) duplicates.push(`${authorised} authorisations by the payment provider`);
  const expected = EXPECTED_EVENTS[status];
  if (final && expected) {
    for (const t of expected) if (!counts.has(t)) missing.push(`no ${t}`);
    for (const t of counts.keys()) if (!expected.includes(t)) duplicates.push(`unexpected ${t} for a ${status} order`);
    const historyTypes = new Set(history.map((h) => h.eventType));
    for (const t of expected) if (!historyTypes.has(t)) missing.push(`history lacks ${t}`);
    if (status === 'CONFIRMED' && authorised === 0) missing.push('no authorisation by the payment provider');
    if (status !== 'CONFIRMED' && authorised === 1)
      duplicates.push(`an authorisation left standing for a ${status} order`);
    const payment = await get(tables('payments'), { pk: `PAYMENT#${order.orderId}` });
    if ((status === 'CONFIRMED' || status === 'CANCELLED') && !payment) missing.push('no payment record');
    if (status === 'REJECTED' && payment) duplicates.push('payment for a rejected order');
    const notifications = index.notifications.get(order.orderId)?.length ?? 0;
    if (notifications !== 1) (notifications > 1 ? duplicates : missing).push(`${notifications} notifications`);
  }
  return { orderId: order.orderId, status, final, duplicates, missing };
}

/**
 * Audits every order, and checks stock: for each SKU, `initial - available` must equal the quantities of
 * CONFIRMED orders (REJECTED reserved nothing, CANCELLED released what it reserved) and `reserved` the same.
 */
export async function checkBooks(
  tables: Tables,
  orders: readonly AcceptedOrder[],
  initialStock: ReadonlyMap<string, number>,
  options: { concurrency?: number; pageSize?: number } = {},
): Promise<Books> {
  const concurrency = options.concurrency ?? 16;
  const index = await readBookIndex(tables, options.pageSize);
  const audits: OrderAudit[] = [];
  for (let i = 0; i < orders.length; i += concurrency) {
    audits.push(...(await Promise.all(orders.slice(i, i + concurrency).map((o) => auditOrder(tables, o, index)))));
  }
  const byStatus: Record<string, number> = {};
  for (const a of audits) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;

  const expectedTaken = new Map<string, number>();
  audits.forEach((a, i) => {
    if (a.status !== 'CONFIRMED') return;
    for (const line of orders[i]?.items ?? [])
      expectedTaken.set(line.sku, (expectedTaken.get(line.sku) ?? 0) + line.quantity);
  });
  const stockMismatches: string[] = [];
  for (const [sku, initial] of initialStock) {
    const item = await get(tables('inventory'), { pk: `SKU#${sku}` });
    const taken = initial - Number(item?.available ?? 0);
    const expected = expectedTaken.get(sku) ?? 0;
    if (taken !== expected || Number(item?.reserved ?? 0) !== expected) {
      stockMismatches.push(`${sku}: taken ${taken}, reserved ${item?.reserved}, expected ${expected}`);
    }
  }
  const known = new Set(orders.map((o) => o.orderId));
  const unacknowledged = (await scanAll(tables('orders'), { pkPrefix: 'ORDER#', pageSize: options.pageSize }))
    .filter((i) => i.sk === 'ORDER' && !known.has(String(i.orderId)))
    .map((i) => `${String(i.orderId)} (${String(i.status)})`);
  return {
    orders: orders.length,
    final: audits.filter((a) => a.final).length,
    lost: audits.filter((a) => !a.final).map((a) => `${a.orderId} (${a.status})`),
    duplicated: audits.filter((a) => a.duplicates.length > 0).map((a) => `${a.orderId}: ${a.duplicates.join('; ')}`),
    incomplete: audits
      .filter((a) => a.final && a.missing.length > 0)
      .map((a) => `${a.orderId}: ${a.missing.join('; ')}`),
    byStatus,
    stockMismatches,
    unacknowledged,
  };
}
