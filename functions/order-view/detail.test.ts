import { newEvent } from '../shared/envelope';
import { appliedEventOf, describeEvent } from './detail';
import { applyEvent, NEW_ORDER_VIEW } from './status';

const created = newEvent({
  type: 'OrderCreated',
  orderId: 'o-1',
  source: 'order-api',
  correlationId: 'c-1',
  now: new Date('2026-01-01T12:00:00.000Z'),
  payload: {
    customerId: 'cust-1',
    currency: 'EUR',
    items: [{ sku: 'SKU-A', quantity: 2, unitPrice: { amount: 500, currency: 'EUR' } }],
    total: { amount: 1000, currency: 'EUR' },
  },
});

describe('the first history step (order-api) is the one order-view builds', () => {
  it("appliedEventOf takes the event's id, type, time, sequence and its described detail", () => {
    expect(appliedEventOf(created)).toEqual({
      eventId: created.eventId,
      type: 'OrderCreated',
      occurredAt: '2026-01-01T12:00:00.000Z',
      sequence: 1,
      detail: describeEvent(created),
    });
    expect(describeEvent(created)).toBe('order placed: 1 line(s), total 1000 EUR (minor units)');
  });

  it('OrderCreated applied to a new order: PENDING with one step, and the consumed OrderCreated is then a duplicate', () => {
    const view = applyEvent(NEW_ORDER_VIEW, appliedEventOf(created));
    expect(view).toEqual({
      status: 'PENDING',
      history: [
        {
          eventId: created.eventId,
          eventType: 'OrderCreated',
          at: created.occurredAt,
          sequence: 1,
          detail: describeEvent(created),
        },
      ],
    });
    expect(view && applyEvent(view, appliedEventOf(created))).toBeNull();
  });
});
