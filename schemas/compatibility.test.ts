/**
 * For each pair of consecutive versions of a type, the mode the newer one declares holds:
 * BACKWARD — the new schema accepts every valid example of the old one as it was written (version
 * number included, as Glue's check sees it) and structurally adds only optional fields; FULL —
 * additionally the old schema accepts the new one's. The checker is itself tested on small pairs
 * that break (and widen) each rule; test/cdk/streaming/glue-schema-definition.test.ts runs it on the Glue bundles.
 */
import { createCatalogAjv } from './catalog-ajv';
import { compatibilityIssues, readerAcceptsWriter, SchemaResolver } from './compatibility';
import { createOrderRequestSchema, eventSchemas, eventTypes, type JsonSchema, sharedSchemas } from './index';
import { examplesOf } from './test-support';

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
      expect({ ok: validateNewer(event), errors: validateNewer.errors }).toEqual({
        ok: true,
        errors: null,
      });
    }
  });

  if (newer.compatibility === 'FULL') {
    it('FULL: the old schema accepts every valid example of the new one', () => {
      for (const event of examplesOf(newer.schema).valid) {
        expect(validateOlder(event)).toBe(true);
      }
    });
  }
});

describe('OrderCreated v1 → v2 is BACKWARD but not FULL (documents what v2 changed)', () => {
  const [v1, v2] = eventSchemas.filter((e) => e.type === 'OrderCreated').map((e) => e.schema) as [
    JsonSchema,
    JsonSchema,
  ];

  it('v1 readers would reject v2 data: its version number and a shippingAddress', () => {
    expect(readerAcceptsWriter(v1, v2, resolver)).toEqual([
      { path: '/version', problem: 'const/enum narrowed: 2 written but not allowed by the reader' },
      { path: '/payload/shippingAddress', problem: 'written but not allowed by the reader' },
    ]);
  });

  it('v2 reads every v1 record: its version is enum [1, 2], not const 2 (which Glue BACKWARD rejects)', () => {
    const constTwo = {
      ...v2,
      $id: `${v2.$id}?const`,
      properties: { ...(v2.properties as object), version: { const: 2 } },
    };
    expect(compatibilityIssues('BACKWARD', v1, constTwo, resolver)).toEqual([
      { path: '/version', problem: 'const/enum narrowed: 1 written but not allowed by the reader' },
    ]);
    expect(compatibilityIssues('BACKWARD', v1, v2, resolver)).toEqual([]);
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

  it('FULL: an added optional property breaks closed old readers, and open new readers unless unconstrained', () => {
    const v2 = schema('v2', closed({ a: { type: 'string' }, m: { $ref: 'money.json' }, b: { type: 'string' } }, ['a']));
    expect(compatibilityIssues('FULL', v1, v2, r)).toEqual([
      { path: '/payload/b', problem: 'forward: written but not allowed by the reader' },
    ]);
    const openV1 = schema('o1', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const openV2 = (b: Record<string, unknown>) =>
      schema(`o2${JSON.stringify(b).length}`, {
        type: 'object',
        properties: { a: { type: 'string' }, b },
        required: ['a'],
      });
    // An open v1 may already have carried any value under "b": constraining it is not BACKWARD.
    expect(compatibilityIssues('FULL', openV1, openV2({ type: 'string' }), r)).toEqual([
      { path: '/payload/b', problem: 'type narrowed to "string" (the writer allows any)' },
    ]);
    expect(compatibilityIssues('FULL', openV1, openV2({ description: 'documented only' }), r)).toEqual([]);
  });

  it('FULL: dropping a required property breaks old readers', () => {
    const openV1 = schema('o1', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const openV2 = schema('o2', { type: 'object', properties: { a: { type: 'string' } } });
    expect(compatibilityIssues('FULL', openV1, openV2, r)).toEqual([
      { path: '/payload/a', problem: 'forward: required by the reader only' },
    ]);
  });
});
