/**
 * TypeScript shapes of the event catalog (schemas/events/**) and the API request. Hand-written to
 * mirror the JSON Schemas; schemas/types.test.ts checks that typed samples of every type validate
 * against their schemas, so the two cannot drift silently.
 *
 * Where a type has several versions, its payload type is the newest one: versions are BACKWARD
 * compatible, so an older event is a valid value of the newer type (new fields are optional).
 */
import type { EventType } from '../lib/topology';

export type { EventType };

/** Integer minor units (cents) and an ISO 4217 code. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** The envelope every event shares (docs/design.md, schemas/envelope/v1.json). */
export interface EventEnvelope<T extends EventType = EventType, P = unknown, V extends number = number> {
  /** UUIDv7: unique and time-sortable. */
  readonly eventId: string;
  readonly type: T;
  readonly version: V;
  /** ISO-8601 UTC, e.g. 2025-01-01T12:00:00.000Z. */
  readonly occurredAt: string;
  /** Id of the function that emitted the event. */
  readonly source: string;
  readonly correlationId: string;
  /** eventId of the cause; for OrderCreated the API request id. */
  readonly causationId: string;
  /** Aggregate id and Kafka key. */
  readonly orderId: string;
  /** Position in the order's causal chain: OrderCreated 1, a reaction its cause's + 1. */
  readonly sequence: number;
  readonly payload: P;
}

export interface OrderLine {
  readonly sku: string;
  /** 1..1000 per line. */
  readonly quantity: number;
  readonly unitPrice: Money;
}

/** A SKU and a quantity (lines merged by SKU: 1..50000). */
export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

/** OrderCreated v2 addition. */
export interface ShippingAddress {
  readonly recipient: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  readonly countryCode: string;
}

export interface OrderCreatedPayloadV1 {
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly OrderLine[];
  readonly total: Money;
}

/** v2 adds an optional shipping address (BACKWARD: every v1 payload is a valid v2 payload). */
export interface OrderCreatedPayload extends OrderCreatedPayloadV1 {
  readonly shippingAddress?: ShippingAddress;
}

export interface InventoryReservedPayload {
  readonly customerId: string;
  readonly reservationId: string;
  readonly items: readonly SkuQuantity[];
  /** The order total, so payment can act on this event alone. */
  readonly total: Money;
}

export interface Shortage {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

export interface InventoryRejectedPayload {
  readonly customerId: string;
  /** Human-readable explanation. */
  readonly reason: string;
  readonly shortages: readonly Shortage[];
}

export interface InventoryReleasedPayload {
  readonly customerId: string;
  readonly reservationId: string;
  readonly items: readonly SkuQuantity[];
  readonly reason: string;
}

export interface PaymentAuthorizedPayload {
  readonly customerId: string;
  readonly paymentId: string;
  readonly amount: Money;
}

export interface PaymentDeclinedPayload {
  readonly customerId: string;
  readonly paymentId: string;
  readonly amount: Money;
  /** Stable UPPER_SNAKE_CASE code, e.g. LIMIT_EXCEEDED, CUSTOMER_BLOCKED; the set may grow. */
  readonly reason: string;
  readonly message: string;
}

export interface PaymentVoidedPayload {
  readonly customerId: string;
  readonly paymentId: string;
  readonly amount: Money;
  /** Stable code, e.g. ORDER_EXPIRED. */
  readonly reason: string;
}

/** The reconciler ended an order at its expiry deadline (final status EXPIRED). */
export interface OrderExpiredPayload {
  readonly customerId: string;
  /** Stable code: TIMEOUT. */
  readonly reason: string;
  /** The status the order had when it expired. */
  readonly lastStatus: 'PENDING' | 'RESERVED' | 'CANCELLING';
  readonly expireAfterSeconds: number;
  readonly message: string;
}

export interface NotificationSentPayload {
  readonly customerId: string;
  readonly notificationId: string;
  readonly channel: 'email';
  readonly template: string;
  readonly causeEventType: EventType;
  readonly causeEventId: string;
}

/** Payload type per event type (the newest version's). */
export interface PayloadByType {
  readonly OrderCreated: OrderCreatedPayload;
  readonly InventoryReserved: InventoryReservedPayload;
  readonly InventoryRejected: InventoryRejectedPayload;
  readonly InventoryReleased: InventoryReleasedPayload;
  readonly PaymentAuthorized: PaymentAuthorizedPayload;
  readonly PaymentDeclined: PaymentDeclinedPayload;
  readonly PaymentVoided: PaymentVoidedPayload;
  readonly OrderExpired: OrderExpiredPayload;
  readonly NotificationSent: NotificationSentPayload;
}

/** The versions of each type in the catalog (schemas/index.ts; schemas/catalog.test.ts checks they agree). */
export interface VersionsByType {
  readonly OrderCreated: 1 | 2;
  readonly InventoryReserved: 1;
  readonly InventoryRejected: 1;
  readonly InventoryReleased: 1;
  readonly PaymentAuthorized: 1;
  readonly PaymentDeclined: 1;
  readonly PaymentVoided: 1;
  readonly OrderExpired: 1;
  readonly NotificationSent: 1;
}

/** The event of type T; for a union of types, the union of their events (distributive over T). */
export type EventOfType<T extends EventType> = T extends EventType
  ? EventEnvelope<T, PayloadByType[T], VersionsByType[T]>
  : never;

/** Every event, discriminated by `type`. */
export type DomainEvent = { [T in EventType]: EventOfType<T> }[EventType];

/** Body of POST /orders (schemas/api/create-order-request/v1.json). */
export interface CreateOrderRequest {
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly {
    readonly sku: string;
    readonly quantity: number;
    /** Integer minor units, in `currency`. */
    readonly unitPrice: number;
  }[];
}

/** Compatibility mode a schema declares in `x-compatibility`. */
export type CompatibilityMode = 'BACKWARD' | 'FULL';
