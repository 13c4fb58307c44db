/** CDK tests of lib/api/ (this folder mirrors it): the CreateOrderRequest API model derived from the JSON Schema. */
import Ajv from 'ajv';
import { createOrderRequestModel, DRAFT4_URI, toDraft4 } from '../../../lib/api/create-order-model';
import { createOrderRequestSchema } from '../../../schemas/index';
import { examplesOf } from '../../../schemas/test-support';

/** Ajv has no draft-4 meta-schema; the keywords used are identical in draft 7, so validate without `$schema`. */
function validatorOf(model: Record<string, unknown>) {
  const { $schema: _ignored, ...body } = model;
  return new Ajv({ allErrors: true, strict: false }).compile(body);
}

describe('POST /orders API Gateway model (derived from schemas/api/create-order-request/v1.json)', () => {
  const model = createOrderRequestModel();

  it('declares draft 4 and drops the 2020-12 identifiers', () => {
    expect(model.$schema).toBe(DRAFT4_URI);
    expect(model).not.toHaveProperty('$id');
    expect(model.title).toBe(createOrderRequestSchema.title);
  });

  it('keeps every constraint of the source schema', () => {
    const { $schema: _a, $id: _b, ...source } = createOrderRequestSchema;
    const { $schema: _c, ...derived } = model;
    // The request schema uses no keyword whose spelling changed, so the rest is carried over unchanged.
    expect(derived).toEqual(source);
  });

  it('accepts the valid examples and rejects every invalid one', () => {
    const validate = validatorOf(model);
    const examples = examplesOf(createOrderRequestSchema);
    for (const body of examples.valid) expect(validate(body)).toBe(true);
    for (const bad of examples.invalid) {
      const ok = validate(bad.body);
      expect({ description: bad.description, ok }).toEqual({ description: bad.description, ok: false });
      expect(validate.errors?.map((e) => e.keyword)).toContain(bad.expectedKeyword);
    }
  });
});

describe('toDraft4', () => {
  it('rewrites const and numeric exclusive bounds', () => {
    expect(toDraft4({ type: 'object', properties: { v: { const: 2 }, n: { exclusiveMinimum: 0 } } })).toEqual({
      $schema: DRAFT4_URI,
      type: 'object',
      properties: { v: { enum: [2] }, n: { minimum: 0, exclusiveMinimum: true } },
    });
  });

  it('drops annotations draft 4 lacks and vendor extensions', () => {
    expect(toDraft4({ type: 'string', examples: ['a'], 'x-compatibility': 'BACKWARD', $comment: 'c' })).toEqual({
      $schema: DRAFT4_URI,
      type: 'string',
    });
  });

  it.each([
    [{ $ref: '#/$defs/x' }, /self-contained/],
    [{ properties: { a: { $ref: '../common/v1.json' } } }, /properties\/a\/\$ref: .*self-contained/],
    [{ type: 'array', prefixItems: [{ type: 'string' }] }, /prefixItems/],
    [{ unevaluatedProperties: false }, /unevaluatedProperties/],
    [{ properties: { a: { type: 'object', dependentSchemas: {} } } }, /#\/properties\/a\/dependentSchemas/],
    [{ anyOf: [true] }, /boolean schemas/],
    [{ exclusiveMinimum: true }, /boolean form/],
    [{ exclusiveMinimum: 0, minimum: 5 }, /#\/exclusiveMinimum: cannot combine with minimum/],
    [{ minimum: 5, exclusiveMinimum: 0 }, /#\/exclusiveMinimum: cannot combine with minimum/],
    [{ exclusiveMaximum: 9, maximum: 5 }, /#\/exclusiveMaximum: cannot combine with maximum/],
    [{ maximum: 5, exclusiveMaximum: 9 }, /#\/exclusiveMaximum: cannot combine with maximum/],
    [{ const: 1, enum: [1, 2] }, /#\/const: cannot combine with enum/],
    [{ enum: [1, 2], const: 1 }, /#\/const: cannot combine with enum/],
    [{ properties: { n: { exclusiveMinimum: 0, minimum: 5 } } }, /properties\/n\/exclusiveMinimum: cannot combine/],
  ])('refuses what draft 4 cannot express: %j', (schema, message) => {
    expect(() => toDraft4(schema)).toThrow(message);
  });
});
