/**
 * For each pair of consecutive versions of a type, the mode the newer one declares holds:
 * BACKWARD — the new schema accepts every valid example of the old one (read as the new version) and
 * structurally adds only optional fields; FULL — additionally the old schema accepts the new one's.
 * The structural checker is itself tested on small pairs that break each rule.
 */
import { createCatalogAjv } from './catalog-ajv';
import { compatibilityIssues, readerAcceptsWriter, SchemaResolver } from './compatibility';
import { createOrderRequestSchema, eventSchemas, eventTypes, type JsonSchema, sharedSchemas } from './index';
import { examplesOf, withVersion } from './test-support';

const resolver = new SchemaResolver([...sharedSchemas, ...eventSchemas.map((e) => e.schema), createOrderRequestSchema]);

const pairs = eventTypes.flatMap((type) => {
  const versions = eventSchemas.filter((e) => e.type === type);
  return versions.flatMap((older, i) => {
    const newer = versions[i + 1];
    return newer ? [{ name: `${type} v${older.version} → v${newer.version}`, older, newer }] : [];
  });
});

it('the catalog has at least one real version pair (OrderCreated v1 → v2)', () => {
  expect(pairs.map((p) => p.name)).toContain('OrderCreated v1 → v2');
});

describe.each(pairs)('$name', ({ older, newer }) => {
  const ajv = createCatalogAjv();
  const validateNewer = ajv.compile(newer.schema);
  const validateOlder = ajv.compile(older.schema);

  it('is structurally compatible in its declared mode', () => {
    expect(compatibilityIssues(newer.compatibility, older.schema, newer.schema, resolver)).toEqual([]);
  });

  it('the new schema accepts every valid example of the old one', () => {
    for (const event of examplesOf(older.schema).valid) {
      expect({ ok: validateNewer(withVersion(event, newer.version)), errors: validateNewer.errors }).toEqual({
        ok: true,
        errors: null,
      });
    }
  });

  if (newer.compatibility === 'FULL') {
    it('FULL: the old schema accepts every valid example of the new one', () => {
      for (const event of examplesOf(newer.schema).valid) {
        expect(validateOlder(withVersion(event, older.version))).toBe(true);
      }
    });
  }
});

describe('OrderCreated v1 → v2 is BACKWARD but not FULL (documents what v2 changed)', () => {
  const [v1, v2] = eventSchemas.filter((e) => e.type === 'OrderCreated').map((e) => e.schema) as [
    JsonSchema,
    JsonSchema,
  ];

  it('v1 readers would reject v2 data carrying a shippingAddress', () => {
    expect(readerAcceptsWriter(v1, v2, resolver)).toEqual([
      { path: '/payload/shippingAddress', problem: 'written but not allowed by the reader' },
    ]);
  });
});

describe('structural checker', () => {
  const base = 'https://test.example/';
  const money = {
    $id: `${base}money.json`,
    type: 'object',
    properties: { amount: { type: 'integer' }, currency: { type: 'string' } },
    required: ['amount'],
    additionalProperties: false,
  };
  const schema = (id: string, payload: Record<string, unknown>): JsonSchema => ({
    $id: `${base}${id}.json`,
    type: 'object',
    properties: { payload },
  });
  const closed = (properties: Record<string, unknown>, required: string[]) => ({
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  });
  const r = new SchemaResolver([money]);
  const v1 = schema('v1', closed({ a: { type: 'string' }, m: { $ref: 'money.json' } }, ['a']));

  it('accepts adding an optional property', () => {
    const v2 = schema('v2', closed({ a: { type: 'string' }, m: { $ref: 'money.json' }, b: { type: 'string' } }, ['a']));
    expect(compatibilityIssues('BACKWARD', v1, v2, r)).toEqual([]);
  });

  it('flags a new required property', () => {
    const v2 = schema(
      'v2',
      closed({ a: { type: 'string' }, m: { $ref: 'money.json' }, b: { type: 'string' } }, ['a', 'b']),
    );
    expect(compatibilityIssues('BACKWARD', v1, v2, r)).toEqual([
      { path: '/payload/b', problem: 'required by the reader only' },
    ]);
  });

  it('flags a property removed from a closed schema', () => {
    const v2 = schema('v2', closed({ a: { type: 'string' } }, ['a']));
    expect(compatibilityIssues('BACKWARD', v1, v2, r)).toEqual([
      { path: '/payload/m', problem: 'written but not allowed by the reader' },
    ]);
  });

  it('flags a changed type, also inside a $ref and array items', () => {
    const v2 = schema('v2', closed({ a: { type: 'integer' }, m: { $ref: 'money.json' } }, ['a']));
    expect(compatibilityIssues('BACKWARD', v1, v2, r)).toEqual([
      { path: '/payload/a', problem: 'type changed from "string" to "integer"' },
    ]);
    const lines = (item: Record<string, unknown>) =>
      schema(`l${JSON.stringify(item).length}`, closed({ lines: { type: 'array', items: item } }, []));
    const oldLines = lines(closed({ m: { $ref: 'money.json' } }, []));
    const newLines = lines(
      closed({ m: closed({ amount: { type: 'integer' }, currency: { type: 'string' } }, ['amount', 'currency']) }, []),
    );
    expect(compatibilityIssues('BACKWARD', oldLines, newLines, r)).toEqual([
      { path: '/payload/lines/*/m/currency', problem: 'required by the reader only' },
    ]);
  });

  it('flags closing an open schema', () => {
    const open = schema('open', { type: 'object', properties: { a: { type: 'string' } } });
    const shut = schema('shut', closed({ a: { type: 'string' } }, []));
    expect(compatibilityIssues('BACKWARD', open, shut, r)).toEqual([
      { path: '/payload', problem: 'reader is closed (additionalProperties false), writer is open' },
    ]);
  });

  it('FULL: an added optional property breaks old readers unless they are open', () => {
    const v2 = schema('v2', closed({ a: { type: 'string' }, m: { $ref: 'money.json' }, b: { type: 'string' } }, ['a']));
    expect(compatibilityIssues('FULL', v1, v2, r)).toEqual([
      { path: '/payload/b', problem: 'forward: written but not allowed by the reader' },
    ]);
    const openV1 = schema('o1', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const openV2 = schema('o2', {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      required: ['a'],
    });
    expect(compatibilityIssues('FULL', openV1, openV2, r)).toEqual([]);
  });

  it('FULL: dropping a required property breaks old readers', () => {
    const openV1 = schema('o1', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const openV2 = schema('o2', { type: 'object', properties: { a: { type: 'string' } } });
    expect(compatibilityIssues('FULL', openV1, openV2, r)).toEqual([
      { path: '/payload/a', problem: 'forward: required by the reader only' },
    ]);
  });
});
