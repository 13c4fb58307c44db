import examples from '../../schemas/events/payment-declined/v1.examples.json';
import { testSchemaIds } from '../../test/support/schema-ids';
import { PermanentError } from './errors';
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
});
