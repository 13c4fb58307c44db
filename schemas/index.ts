/**
 * The event catalog as code: every (type, version) → its JSON Schema, the latest version per type, the
 * compatibility mode each schema declares, the shared schemas they $ref, and the API request schema.
 * Schemas are imported statically, so a bundler inlines them as data (no file system at run time).
 * Pure data: no ajv here (scripts/generate-validators.ts compiles the validators at build time).
 */
import type { EventType } from '../lib/topology';
import createOrderRequestV1 from './api/create-order-request/v1.json';
import commonV1 from './common/v1.json';
import envelopeV1 from './envelope/v1.json';
import inventoryRejectedV1 from './events/inventory-rejected/v1.json';
import inventoryReleasedV1 from './events/inventory-released/v1.json';
import inventoryReservedV1 from './events/inventory-reserved/v1.json';
import notificationSentV1 from './events/notification-sent/v1.json';
import orderCreatedV1 from './events/order-created/v1.json';
import orderCreatedV2 from './events/order-created/v2.json';
import orderExpiredV1 from './events/order-expired/v1.json';
import paymentAuthorizedV1 from './events/payment-authorized/v1.json';
import paymentDeclinedV1 from './events/payment-declined/v1.json';
import paymentVoidedV1 from './events/payment-voided/v1.json';
import type { CompatibilityMode, VersionsByType } from './types';

export type { CompatibilityMode } from './types';

/** A JSON Schema document of this catalog: an object with a stable `$id`. */
export interface JsonSchema {
  readonly $id: string;
  readonly [keyword: string]: unknown;
}

export interface EventSchemaEntry {
  readonly type: EventType;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly compatibility: CompatibilityMode;
}

/** Versions of each type, keyed by version number. Add a version here and in schemas/types.ts. */
const eventSchemaFiles: { readonly [T in EventType]: { readonly [version: number]: JsonSchema } } = {
  OrderCreated: { 1: orderCreatedV1, 2: orderCreatedV2 },
  InventoryReserved: { 1: inventoryReservedV1 },
  InventoryRejected: { 1: inventoryRejectedV1 },
  InventoryReleased: { 1: inventoryReleasedV1 },
  PaymentAuthorized: { 1: paymentAuthorizedV1 },
  PaymentDeclined: { 1: paymentDeclinedV1 },
  PaymentVoided: { 1: paymentVoidedV1 },
  OrderExpired: { 1: orderExpiredV1 },
  NotificationSent: { 1: notificationSentV1 },
};

/** Schemas the event schemas $ref (by relative URI resolved against their `$id`). */
export const sharedSchemas: readonly JsonSchema[] = [commonV1, envelopeV1];

export const createOrderRequestSchema: JsonSchema = createOrderRequestV1;

function compatibilityOf(schema: JsonSchema): CompatibilityMode {
  const mode = schema['x-compatibility'] ?? 'BACKWARD';
  if (mode !== 'BACKWARD' && mode !== 'FULL') {
    throw new Error(`${schema.$id}: x-compatibility must be BACKWARD or FULL, got ${JSON.stringify(mode)}`);
  }
  return mode;
}

/** Every event schema, ordered by type then version. */
export const eventSchemas: readonly EventSchemaEntry[] = (Object.keys(eventSchemaFiles) as EventType[]).flatMap(
  (type) =>
    Object.entries(eventSchemaFiles[type])
      .map(([version, schema]) => ({
        type,
        version: Number(version),
        schema,
        compatibility: compatibilityOf(schema),
      }))
      .sort((a, b) => a.version - b.version),
);

export const eventTypes: readonly EventType[] = Object.keys(eventSchemaFiles) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(eventSchemaFiles, value);
}

/** The schema of one (type, version), or undefined when the catalog has none. */
export function eventSchema(type: EventType, version: number): EventSchemaEntry | undefined {
  return eventSchemas.find((e) => e.type === type && e.version === version);
}

/** The versions of a type, ascending. */
export function versionsOf(type: EventType): number[] {
  return eventSchemas.filter((e) => e.type === type).map((e) => e.version);
}

/** The version producers emit: the newest in the catalog (consumers are deployed first; see schemas/README.md). */
export function latestVersion<T extends EventType>(type: T): VersionsByType[T] {
  const versions = versionsOf(type);
  if (versions.length === 0) throw new Error(`no schema for event type ${type}`);
  return Math.max(...versions) as VersionsByType[T];
}
