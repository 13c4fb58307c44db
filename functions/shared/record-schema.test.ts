import notificationSentExamples from '../../schemas/events/notification-sent/v1.examples.json';
import orderCreatedV1Examples from '../../schemas/events/order-created/v1.examples.json';
import orderCreatedV2Examples from '../../schemas/events/order-created/v2.examples.json';
import examples from '../../schemas/events/payment-declined/v1.examples.json';
import { testSchemaIds } from '../../test/support/schema-ids';
import { PermanentError } from './errors';
import { CATALOG_VERSIONS, catalogVersionsUpTo } from './readable-version';
import { checkRecordSchema } from './record-schema';
import { SchemaVersionIds } from './schema-ids';

// A valid event of the catalog's own examples.
const event = examples.valid[0] as Record<string, unknown>;
const idOf = (type: string, version: number) => testSchemaIds.idOf(type, version) as string;

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PermanentError) return `${err.reason}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('checkRecordSchema', () => {
  it('accepts an event whose header resolves to its own type and version', () => {
    expect(checkRecordSchema(event, idOf('PaymentDeclined', 1), testSchemaIds)).toBe(event);
  });

  it('dead-letters a record without the header, or with an id the registry never issued, as UNKNOWN_SCHEMA_VERSION', () => {
    expect(reasonOf(() => checkRecordSchema(event, undefined, testSchemaIds))).toMatch(
      /^UNKNOWN_SCHEMA_VERSION: .*no schema-version-id/,
    );
    expect(reasonOf(() => checkRecordSchema(event, ' ', testSchemaIds))).toMatch(/^UNKNOWN_SCHEMA_VERSION/);
    const unknown = '44444444-4444-4444-8444-444444444444';
    expect(reasonOf(() => checkRecordSchema(event, unknown, testSchemaIds))).toBe(
      `UNKNOWN_SCHEMA_VERSION: schema-version-id ${unknown} is not a version of the schema registry`,
    );
    // A registry without PaymentDeclined (an id from another deployment's registry) resolves nothing either.
    const other = new SchemaVersionIds([{ type: 'OrderCreated', version: 1, id: idOf('OrderCreated', 1) }]);
    expect(reasonOf(() => checkRecordSchema(event, idOf('PaymentDeclined', 1), other))).toMatch(
      /^UNKNOWN_SCHEMA_VERSION/,
    );
  });

  it('refuses a header naming another (type, version) than the envelope', () => {
    expect(reasonOf(() => checkRecordSchema(event, idOf('OrderCreated', 1), testSchemaIds))).toBe(
      `INVALID_EVENT: schema-version-id ${idOf('OrderCreated', 1)} is OrderCreated v1, the envelope says PaymentDeclined v1`,
    );
  });

  it('validates against the resolved version: a registered id does not excuse an invalid payload', () => {
    const invalid = { ...event, payload: { ...(event.payload as object), reason: 'not a code' } };
    expect(reasonOf(() => checkRecordSchema(invalid, idOf('PaymentDeclined', 1), testSchemaIds))).toMatch(
      /^INVALID_EVENT: event rejected by its schema: \/payload\/reason/,
    );
  });

  it('reports a registered version this build cannot read as UNKNOWN_VERSION', () => {
    const v9 = { ...event, version: 9 };
    const ahead = new SchemaVersionIds([
      { type: 'PaymentDeclined', version: 9, id: '99999999-9999-4999-8999-999999999999' },
    ]);
    expect(reasonOf(() => checkRecordSchema(v9, '99999999-9999-4999-8999-999999999999', ahead))).toMatch(
      /^UNKNOWN_VERSION/,
    );
  });

  describe('a record of a version this build may not have (mixed versions in flight)', () => {
    const orderCreatedV2 = orderCreatedV2Examples.valid[0] as Record<string, unknown>;
    const orderCreatedV1 = orderCreatedV1Examples.valid[0] as Record<string, unknown>;
    const builtForV1 = catalogVersionsUpTo({ OrderCreated: 1 });

    it('dead-letters OrderCreated v2 in a build for v1: BACKWARD does not promise v1 reads v2', () => {
      expect(
        reasonOf(() => checkRecordSchema(orderCreatedV2, idOf('OrderCreated', 2), testSchemaIds, builtForV1)),
      ).toBe(
        'UNKNOWN_VERSION: OrderCreated v2 is newer than this build reads (v1), and OrderCreated is registered ' +
          'BACKWARD, which does not promise that v1 readers can read v2 data: deploy consumers built with v2 ' +
          'first, then redrive',
      );
      // The same build reads v1, and a build with v2 reads both.
      expect(checkRecordSchema(orderCreatedV1, idOf('OrderCreated', 1), testSchemaIds, builtForV1)).toBe(
        orderCreatedV1,
      );
      expect(checkRecordSchema(orderCreatedV2, idOf('OrderCreated', 2), testSchemaIds, CATALOG_VERSIONS)).toBe(
        orderCreatedV2,
      );
    });

    it('reads a v1 record with v2 in a build that has only v2 (the next version accepts the previous one)', () => {
      const onlyV2 = { ...CATALOG_VERSIONS, OrderCreated: [2] };
      expect(checkRecordSchema(orderCreatedV1, idOf('OrderCreated', 1), testSchemaIds, onlyV2)).toBe(orderCreatedV1);
    });

    it('under FULL validates a newer version against the newest it knows, and still rejects what that refuses', () => {
      const notification = notificationSentExamples.valid[0] as Record<string, unknown>;
      const v2Id = '22222222-2222-4222-8222-222222222222';
      const registry = new SchemaVersionIds([{ type: 'NotificationSent', version: 2, id: v2Id }]);
      // NotificationSent v1 pins `version` to 1, so it refuses any v2 record: schemas/README.md "FULL needs
      // the old schema to accept the new data as written" (the checker would refuse such a v2 for FULL).
      expect(reasonOf(() => checkRecordSchema({ ...notification, version: 2 }, v2Id, registry))).toBe(
        'INVALID_EVENT: event rejected by its schema (read as v1): /version must be 1',
      );
    });
  });
});
