/** notification against DynamoDB Local: one NotificationSent per final outcome, once. */
import { v7 as uuidv7 } from 'uuid';
import { asRecord, orderCreated, sagaFixture } from '../../test/support/saga-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { newEvent } from '../shared/envelope';

const fx = useFixture(() => sagaFixture('notification'));

describe('notification', () => {
  it.each([
    ['PaymentAuthorized', 'order-confirmed'],
    ['PaymentDeclined', 'order-cancelled-payment-declined'],
    ['InventoryRejected', 'order-rejected-out-of-stock'],
  ] as const)('%s → NotificationSent (%s), once per event', async (type, template) => {
    const order = orderCreated([{ sku: 'SKU-A', quantity: 1 }], 'cust-n');
    const money = order.payload.total;
    const cause =
      type === 'InventoryRejected'
        ? newEvent({
            type,
            orderId: order.orderId,
            source: 'inventory',
            cause: order,
            payload: {
              customerId: 'cust-n',
              reason: 'short',
              shortages: [{ sku: 'SKU-A', requested: 1, available: 0 }],
            },
          })
        : type === 'PaymentAuthorized'
          ? newEvent({
              type,
              orderId: order.orderId,
              source: 'payment',
              cause: order,
              payload: { customerId: 'cust-n', paymentId: uuidv7(), amount: money },
            })
          : newEvent({
              type,
              orderId: order.orderId,
              source: 'payment',
              cause: order,
              payload: {
                customerId: 'cust-n',
                paymentId: uuidv7(),
                amount: money,
                reason: 'LIMIT_EXCEEDED',
                message: 'over',
              },
            });
    const record = asRecord(cause);
    expect((await fx.invoke([record, record])).batchItemFailures).toEqual([]);
    expect((await fx.invoke([record])).batchItemFailures).toEqual([]);
    const sent = await fx.outbox(order.orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'NotificationSent',
      payload: { customerId: 'cust-n', channel: 'email', template, causeEventType: type, causeEventId: cause.eventId },
    });
  });

  it('does not notify for OrderCreated', async () => {
    const order = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    expect((await fx.invoke([asRecord(order)])).batchItemFailures).toEqual([]);
    expect(await fx.outbox(order.orderId)).toEqual([]);
    expect(await fx.deadLetters(1, 1500)).toEqual([]);
  });
});
