/** payment against DynamoDB Local, MSK-shaped events: authorise, decline (limit, blocked), duplicates. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { asRecord, orderCreated, type SagaFixture, sagaFixture } from '../../test/support/saga-fixture';
import { dynamoDb } from '../shared/aws-clients';
import { newEvent } from '../shared/envelope';

let fx: SagaFixture;
beforeAll(async () => {
  fx = await sagaFixture('payment');
}, 60_000);
afterAll(() => fx?.teardown());

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
