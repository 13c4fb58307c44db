/**
 * schemas/types.ts agrees with the JSON Schemas: a fully populated sample of each TypeScript type (every
 * optional field included; excess-property checks reject fields the type lacks) validates, and its
 * payload has exactly the properties the schema declares. A field added to one side only fails here.
 */
import { validateCreateOrderRequest, validateEvent } from '../functions/shared/validation';
import type { EventType } from '../lib/topology';
import { createOrderRequestSchema, eventSchema, latestVersion } from './index';
import type { CreateOrderRequest, EventEnvelope, EventOfType, Money } from './types';

const eur = (amount: number): Money => ({ amount, currency: 'EUR' });
const id = (n: number) => `01936f0e-5a2b-7000-9e4d-4c2a1f0b7d${String(n).padStart(2, '0')}`;

function envelope<T extends EventType>(type: T, n: number): Omit<EventEnvelope<T>, 'payload' | 'version'> {
  return {
    eventId: id(n),
    type,
    occurredAt: '2025-01-15T10:30:00.000Z',
    source: 'order-api',
    correlationId: id(0),
    causationId: id(0),
    orderId: 'order-1',
    sequence: n,
  };
}

const samples: { readonly [T in EventType]: EventOfType<T> } = {
  OrderCreated: {
    ...envelope('OrderCreated', 1),
    version: 2,
    payload: {
      customerId: 'cust-1',
      currency: 'EUR',
      items: [{ sku: 'SKU-A', quantity: 2, unitPrice: eur(500) }],
      total: eur(1000),
      shippingAddress: {
        recipient: 'Ada',
        line1: 'Main St 1',
        line2: 'Flat 2',
        city: 'Berlin',
        postalCode: '10117',
        countryCode: 'DE',
      },
    },
  },
  InventoryReserved: {
    ...envelope('InventoryReserved', 2),
    version: 1,
    payload: { customerId: 'cust-1', reservationId: id(20), items: [{ sku: 'SKU-A', quantity: 2 }], total: eur(1000) },
  },
  InventoryRejected: {
    ...envelope('InventoryRejected', 2),
    version: 1,
    payload: {
      customerId: 'cust-1',
      reason: 'insufficient stock for SKU-A',
      shortages: [{ sku: 'SKU-A', requested: 2, available: 1 }],
    },
  },
  InventoryReleased: {
    ...envelope('InventoryReleased', 4),
    version: 1,
    payload: {
      customerId: 'cust-1',
      reservationId: id(20),
      items: [{ sku: 'SKU-A', quantity: 2 }],
      reason: 'payment declined: LIMIT_EXCEEDED',
    },
  },
  PaymentAuthorized: {
    ...envelope('PaymentAuthorized', 3),
    version: 1,
    payload: { customerId: 'cust-1', paymentId: id(21), amount: eur(1000) },
  },
  PaymentDeclined: {
    ...envelope('PaymentDeclined', 3),
    version: 1,
    payload: {
      customerId: 'cust-1',
      paymentId: id(21),
      amount: eur(1000),
      reason: 'LIMIT_EXCEEDED',
      message: 'over the limit',
    },
  },
  PaymentVoided: {
    ...envelope('PaymentVoided', 5),
    version: 1,
    payload: { customerId: 'cust-1', paymentId: id(21), amount: eur(1000), reason: 'ORDER_EXPIRED' },
  },
  OrderExpired: {
    ...envelope('OrderExpired', 4),
    version: 1,
    payload: {
      customerId: 'cust-1',
      reason: 'TIMEOUT',
      lastStatus: 'RESERVED',
      expireAfterSeconds: 900,
      message: 'order still RESERVED 900 s after it was placed',
    },
  },
  NotificationSent: {
    ...envelope('NotificationSent', 4),
    version: 1,
    payload: {
      customerId: 'cust-1',
      notificationId: id(22),
      channel: 'email',
      template: 'order-confirmed',
      causeEventType: 'PaymentAuthorized',
      causeEventId: id(3),
    },
  },
};

describe.each(Object.values(samples).map((event) => ({ type: event.type, event })))('$type', ({ event }) => {
  it('a typed sample of the newest version validates', () => {
    expect(event.version).toBe(latestVersion(event.type));
    expect(validateEvent(event)).toEqual({ ok: true, event });
  });

  it('the TS payload has exactly the properties the schema declares', () => {
    const schema = eventSchema(event.type, event.version)?.schema as unknown as {
      properties: { payload: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(event.payload).sort()).toEqual(Object.keys(schema.properties.payload.properties).sort());
  });
});

it('OrderCreated v1 data is a valid OrderCreated value (older versions fit the newest type)', () => {
  const { shippingAddress: _omitted, ...v1Payload } = samples.OrderCreated.payload;
  const v1: EventOfType<'OrderCreated'> = { ...samples.OrderCreated, version: 1, payload: v1Payload };
  expect(validateEvent(v1).ok).toBe(true);
});

it('CreateOrderRequest: a typed sample validates and has the schema properties', () => {
  const body: CreateOrderRequest = {
    customerId: 'cust-1',
    currency: 'EUR',
    items: [{ sku: 'SKU-A', quantity: 1, unitPrice: 1 }],
  };
  expect(validateCreateOrderRequest(body)).toEqual({ ok: true, value: body });
  const props = createOrderRequestSchema.properties as Record<string, { items?: { properties: object } }>;
  expect(Object.keys(body).sort()).toEqual(Object.keys(props).sort());
  expect(Object.keys(body.items[0] ?? {}).sort()).toEqual(Object.keys(props.items?.items?.properties ?? {}).sort());
});
