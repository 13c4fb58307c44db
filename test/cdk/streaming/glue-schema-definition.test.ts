import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DRAFT7_URI, glueSchemaDefinition } from '../../../lib/streaming/glue-schema-definition';
import { eventSchemas, sharedSchemas } from '../../../schemas/index';
import { examplesOf } from '../../../schemas/test-support';

/** The catalog's own validator: 2020-12 with the shared schemas registered. */
function sourceValidator(schema: object) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const s of sharedSchemas) ajv.addSchema(s);
  return ajv.compile(schema);
}

/** What Glue gets: one draft-07 document, nothing else registered. */
function bundleValidator(bundle: object) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(bundle);
}

function refsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsOf);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' ? [v as string] : refsOf(v)));
}

function keysOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(keysOf);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

describe.each(eventSchemas.map((e) => [`${e.type} v${e.version}`, e] as const))('Glue definition of %s', (_, entry) => {
  const bundle = glueSchemaDefinition(entry.schema, sharedSchemas);

  it('is a self-contained draft-07 document', () => {
    expect(bundle.$schema).toBe(DRAFT7_URI);
    const refs = refsOf(bundle);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^#\/definitions\/[A-Za-z0-9-]+$/);
    const definitions = bundle.definitions as Record<string, unknown>;
    for (const ref of refs) expect(definitions).toHaveProperty(ref.slice('#/definitions/'.length));
    expect(keysOf(bundle)).not.toContain('$defs');
    expect(keysOf(bundle)).not.toContain('$id');
  });

  it('stays within Glue limits (170,000 characters)', () => {
    expect(JSON.stringify(bundle).length).toBeLessThan(170_000);
  });

  it('accepts and rejects exactly what the 2020-12 source does', () => {
    const source = sourceValidator(entry.schema);
    const derived = bundleValidator(bundle);
    const examples = examplesOf(entry.schema);
    const samples = [...examples.valid, ...examples.invalid.map((i) => i.event)];
    expect(samples.length).toBeGreaterThan(1);
    for (const sample of samples) expect(derived(sample)).toBe(source(sample));
    for (const valid of examples.valid) expect(derived(valid)).toBe(true);
  });
});

describe('glueSchemaDefinition', () => {
  const base = 'https://kafka-order-saga.example/schemas/';
  const common = {
    $id: `${base}common/v1.json`,
    $defs: { id: { type: 'string' }, pair: { items: { $ref: '#/$defs/id' } } },
  };

  it('turns a $ref with siblings into allOf, since draft 7 ignores siblings of $ref', () => {
    const schema = { $id: `${base}events/x/v1.json`, $ref: '../../common/v1.json#/$defs/id', minLength: 2 };
    expect(glueSchemaDefinition(schema, [common])).toEqual({
      $schema: DRAFT7_URI,
      minLength: 2,
      allOf: [{ $ref: '#/definitions/common-v1-id' }],
      definitions: { 'common-v1-id': { type: 'string' } },
    });
  });

  it('follows refs inside copied definitions relative to their own document', () => {
    const schema = { $id: `${base}events/x/v1.json`, properties: { p: { $ref: '../../common/v1.json#/$defs/pair' } } };
    const bundle = glueSchemaDefinition(schema, [common]);
    expect(bundle.definitions).toEqual({
      'common-v1-pair': { items: { $ref: '#/definitions/common-v1-id' } },
      'common-v1-id': { type: 'string' },
    });
  });

  it('refuses refs outside the catalog and keywords draft 7 lacks', () => {
    const outside = { $id: `${base}events/x/v1.json`, $ref: 'https://elsewhere.example/x.json' };
    expect(() => glueSchemaDefinition(outside, [common])).toThrow(/points outside the catalog/);
    const modern = { $id: `${base}events/x/v1.json`, properties: { a: { unevaluatedProperties: false } } };
    expect(() => glueSchemaDefinition(modern, [common])).toThrow(/properties\/a\/unevaluatedProperties/);
    const missing = { $id: `${base}events/x/v1.json`, $ref: '../../common/v1.json#/$defs/nope' };
    expect(() => glueSchemaDefinition(missing, [common])).toThrow(/nothing at #\/\$defs\/nope/);
  });
});
