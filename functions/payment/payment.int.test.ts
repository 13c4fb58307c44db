/**
 * payment against DynamoDB Local, MSK-shaped events: authorise, decline (limit, blocked), duplicates, the
 * provider's ledger (one authorisation per order, even across a crash), and the decline that ends an
 * order whose payment cannot be built.
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { asRecord, orderCreated, sagaFixture } from '../../test/support/saga-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { dynamoDb } from '../shared/aws-clients';
import { newEvent } from '../shared/envelope';
import { authorizePayment, declineUnpayable, type PaymentDeps } from './authorize-payment';
import { grantAuthorisation, LEDGER_PREFIX } from './ledger';

const fx = useFixture(() => sagaFixture('payment'));

function reserved(customerId: string, amount: number) {
  const order = orderCreated([{ sku: 'SKU-A', quantity: 1, unitPrice: amount }], customerId);
  return newEvent({
    type: 'InventoryReserved',
    orderId: order.orderId,
    source: 'inventory',
    cause: order,
    payload: {
      customerId,
      reservationId: uuidv7(),
      items: [{ sku: 'SKU-A', quantity: 1 }],
      total: order.payload.total,
    },
  });
}

async function payment(orderId: string) {
  const out = await dynamoDb().send(
    new GetItemCommand({
      TableName: fx.tables.payments,
      Key: marshall({ pk: `PAYMENT#${orderId}` }),
      ConsistentRead: true,
    }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
}

describe('payment', () => {
  it('authorises within the limit and emits PaymentAuthorized with the amount', async () => {
    const event = reserved('cust-ok', 12_345);
    expect((await fx.invoke([asRecord(event)])).batchItemFailures).toEqual([]);
    const [authorized] = await fx.outbox(event.orderId);
    expect(authorized).toMatchObject({
      type: 'PaymentAuthorized',
      sequence: 3,
      causationId: event.eventId,
      payload: { customerId: 'cust-ok', amount: { amount: 12_345, currency: 'EUR' } },
    });
    if (authorized?.type !== 'PaymentAuthorized') throw new Error('expected PaymentAuthorized');
    expect(await payment(event.orderId)).toMatchObject({
      status: 'AUTHORIZED',
      paymentId: authorized.payload.paymentId,
    });
  });

  it.each([
    ['blocked-7', 100, 'CUSTOMER_BLOCKED'],
    ['cust-rich', 500_001, 'LIMIT_EXCEEDED'],
  ])('declines %s / %i with %s', async (customerId, amount, reason) => {
    const event = reserved(customerId, amount);
    expect((await fx.invoke([asRecord(event)])).batchItemFailures).toEqual([]);
    const [declined] = await fx.outbox(event.orderId);
    expect(declined).toMatchObject({ type: 'PaymentDeclined', payload: { reason } });
    expect(await payment(event.orderId)).toMatchObject({ status: 'DECLINED', reason });
  });

  it('ignores other inventory events without an effect or a dead letter', async () => {
    const event = reserved('cust-ok', 1);
    const released = newEvent({
      type: 'InventoryReleased',
      orderId: event.orderId,
      source: 'inventory',
      cause: event,
      payload: {
        customerId: 'cust-ok',
        reservationId: event.payload.reservationId,
        items: event.payload.items,
        reason: 'test',
      },
    });
    expect((await fx.invoke([asRecord(released)])).batchItemFailures).toEqual([]);
    expect(await payment(event.orderId)).toBeUndefined();
    expect(await fx.deadLetters(1, 1500)).toEqual([]);
  });

  it('charges once for redeliveries of the same event', async () => {
    const event = reserved('cust-ok', 500);
    const record = asRecord(event, 2, 7);
    await fx.invoke([record, record]);
    await fx.invoke([record]);
    expect(await fx.outbox(event.orderId)).toHaveLength(1);
  });
});

async function ledgerOf(orderId: string) {
  const out = await dynamoDb().send(
    new ScanCommand({
      TableName: fx.tables.payments,
      FilterExpression: 'begins_with(pk, :p) AND orderId = :o',
      ExpressionAttributeValues: marshall({ ':p': LEDGER_PREFIX, ':o': orderId }),
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => unmarshall(i));
}

const deps = (): PaymentDeps => ({
  paymentsTable: fx.tables.payments,
  ordersTable: fx.tables.orders,
  outboxTopic: 'payments',
  source: 'payment',
  limitMinor: 500_000,
});

describe('the provider ledger', () => {
  it('records one authorisation per authorised order; its id is the paymentId', async () => {
    const event = reserved('cust-ok', 700);
    await fx.invoke([asRecord(event)]);
    const [entry, ...more] = await ledgerOf(event.orderId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ status: 'AUTHORIZED', amount: event.payload.total });
    expect(await payment(event.orderId)).toMatchObject({ paymentId: entry?.authorisationId });
    expect(await ledgerOf(reserved('blocked-1', 1).orderId)).toEqual([]);
  });

  it('answers a second request for the same order with the first authorisation (crash after the provider call)', async () => {
    const event = reserved('cust-ok', 800);
    const first = await grantAuthorisation(fx.tables.payments, event.orderId, event.payload.total);
    // the function crashed before its transaction: the retry asks the provider again
    await expect(authorizePayment(event, deps())).resolves.toBe('processed');
    await expect(authorizePayment(event, deps())).resolves.toBe('duplicate');
    expect((await ledgerOf(event.orderId)).map((e) => e.authorisationId)).toEqual([first]);
    expect(await payment(event.orderId)).toMatchObject({ status: 'AUTHORIZED', paymentId: first });
  });
});

describe('once-only: Powertools idempotency around the provider call', () => {
  // The provider call is an effect outside DynamoDB: Powertools idempotency guards it (docs/design.md
  // "Failures"), with the provider's own key and the conditional payment record behind it.
  it('authorises once for concurrent duplicates, with one completed idempotency record', async () => {
    const completedRecords = async () => {
      const out = await dynamoDb().send(new ScanCommand({ TableName: fx.tables.idempotency, ConsistentRead: true }));
      return (out.Items ?? []).filter((i) => i.status?.S === 'COMPLETED').length;
    };
    const before = await completedRecords();
    const event = reserved('cust-ok', 650);
    const once = async (offset: number) => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        if ((await fx.invoke([asRecord(event, 3, offset)])).batchItemFailures.length === 0) return;
      }
      throw new Error('still failing after 5 attempts');
    };
    await Promise.all([once(30), once(31), once(32)]);
    expect(await ledgerOf(event.orderId)).toHaveLength(1);
    expect(await fx.outbox(event.orderId)).toHaveLength(1);
    expect(await completedRecords()).toBe(before + 1);
  });
});

describe('a payment that cannot be built', () => {
  it('declines with the reason and voids an authorisation already granted', async () => {
    const event = reserved('cust-ok', 900);
    await grantAuthorisation(fx.tables.payments, event.orderId, event.payload.total);
    await expect(declineUnpayable(event, 'INVALID_EVENT: could not build it', deps())).resolves.toBe('processed');
    await expect(declineUnpayable(event, 'INVALID_EVENT: could not build it', deps())).resolves.toBe('duplicate');
    const events = await fx.outbox(event.orderId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'PaymentDeclined',
      payload: { reason: 'PAYMENT_FAILED', message: 'INVALID_EVENT: could not build it' },
    });
    expect(await payment(event.orderId)).toMatchObject({ status: 'DECLINED', reason: 'PAYMENT_FAILED' });
    expect((await ledgerOf(event.orderId)).map((e) => e.status)).toEqual(['VOIDED']);
  });

  it('leaves an order whose payment was already authorised alone', async () => {
    const event = reserved('cust-ok', 950);
    await authorizePayment(event, deps());
    await expect(declineUnpayable(event, 'late', deps())).resolves.toBe('duplicate');
    expect(await payment(event.orderId)).toMatchObject({ status: 'AUTHORIZED' });
    expect((await ledgerOf(event.orderId)).map((e) => e.status)).toEqual(['AUTHORIZED']);
  });
});
