/**
 * Value constraints compared at one position: each narrowing is reported, each widening (or no
 * change) is not. Then the same rules through compatibilityIssues in every mode, across `allOf`.
 */
import { compatibilityIssues, SchemaResolver } from './compatibility';
import type { JsonSchema } from './index';
import { type SchemaNode, valueConstraintIssues } from './value-constraints';

/** Issues of reading what `writer` allows with `reader` (single-node positions). */
const narrowing = (reader: SchemaNode, writer: SchemaNode) => valueConstraintIssues([reader], [writer]);

describe('valueConstraintIssues', () => {
  it('const: a changed value narrows, an unchanged one does not', () => {
    expect(narrowing({ const: 2 }, { const: 1 })).toEqual([
      'const/enum narrowed: 1 written but not allowed by the reader',
    ]);
    expect(narrowing({ const: { b: 1, a: [2] } }, { const: { a: [2], b: 1 } })).toEqual([]);
  });

  it('enum: dropping a value narrows, adding one widens; const → enum containing it widens', () => {
    expect(narrowing({ enum: ['a'] }, { enum: ['a', 'b'] })).toEqual([
      'const/enum narrowed: "b" written but not allowed by the reader',
    ]);
    expect(narrowing({ enum: ['a', 'b', 'c'] }, { enum: ['a', 'b'] })).toEqual([]);
    expect(narrowing({ enum: [1, 2] }, { const: 1 })).toEqual([]);
    expect(narrowing({}, { enum: [1, 2] })).toEqual([]);
  });

  it('const/enum added where the writer allowed any value narrows', () => {
    expect(narrowing({ type: 'string', enum: ['email'] }, { type: 'string' })).toEqual([
      'values narrowed to "email" (const/enum; the writer allows any)',
    ]);
  });

  it('const and enum on several parts of one position intersect', () => {
    expect(valueConstraintIssues([{ enum: [1, 2, 3] }, { enum: [2, 3] }], [{ enum: [2, 3] }])).toEqual([]);
    expect(valueConstraintIssues([{ enum: [1, 2] }, { const: 1 }], [{ enum: [1, 2] }])).toEqual([
      'const/enum narrowed: 2 written but not allowed by the reader',
    ]);
  });

  it('pattern: added or changed narrows (regex inclusion is not decided), removed widens', () => {
    expect(narrowing({ pattern: '^[A-Z]{3}$' }, {})).toEqual(['pattern "^[A-Z]{3}$" added or changed']);
    expect(narrowing({ pattern: '^[A-Z]{2}$' }, { pattern: '^[A-Z]{3}$' })).toEqual([
      'pattern "^[A-Z]{2}$" added or changed',
    ]);
    expect(narrowing({ pattern: '^[A-Z]{3}$' }, { pattern: '^[A-Z]{3}$' })).toEqual([]);
    expect(narrowing({}, { pattern: '^[A-Z]{3}$' })).toEqual([]);
  });

  it('format: added or changed narrows, removed widens', () => {
    expect(narrowing({ format: 'date-time' }, {})).toEqual(['format "date-time" added or changed']);
    expect(narrowing({ format: 'date' }, { format: 'date-time' })).toEqual(['format "date" added or changed']);
    expect(narrowing({}, { format: 'email' })).toEqual([]);
    expect(narrowing({ format: 'email' }, { format: 'email' })).toEqual([]);
  });

  it('bounds: tightened or added narrows, loosened or removed widens', () => {
    expect(narrowing({ maxLength: 50 }, { maxLength: 100 })).toEqual(['maxLength tightened from 100 to 50']);
    expect(narrowing({ minimum: 1 }, {})).toEqual(['minimum tightened from none to 1']);
    expect(narrowing({ maxItems: 100, minItems: 0 }, { maxItems: 50, minItems: 1 })).toEqual([]);
    expect(narrowing({}, { exclusiveMaximum: 10 })).toEqual([]);
  });

  it('multipleOf and uniqueItems: added narrows, a writer multiple of the reader is fine', () => {
    expect(narrowing({ multipleOf: 5 }, {})).toEqual(['multipleOf 5 added or changed']);
    expect(narrowing({ multipleOf: 5 }, { multipleOf: 10 })).toEqual([]);
    expect(narrowing({ uniqueItems: true }, {})).toEqual(['uniqueItems added']);
  });

  it('a reader keyword it cannot compare is reported, annotations and writer-only keywords are not', () => {
    expect(narrowing({ anyOf: [{ type: 'string' }], description: 'x', 'x-note': 1 }, {})).toEqual([
      'keyword "anyOf" on the reader side is not compared (treated as incompatible)',
    ]);
    expect(narrowing({}, { oneOf: [{ type: 'string' }] })).toEqual([]);
  });
});

describe('compatibilityIssues with value constraints', () => {
  const base = 'https://test.example/values/';
  const event = (id: string, version: object, extra: object = {}): JsonSchema => ({
    $id: `${base}${id}.json`,
    type: 'object',
    properties: { version, code: { type: 'string', pattern: '^[A-Z]+$', ...extra } },
    additionalProperties: false,
  });
  const r = new SchemaResolver([]);

  it('BACKWARD sees a version const changed; FORWARD sees the widening only in the other direction', () => {
    const v1 = event('v1', { const: 1 });
    const v2 = event('v2', { enum: [1, 2] });
    expect(compatibilityIssues('BACKWARD', v1, v2, r)).toEqual([]);
    expect(compatibilityIssues('FORWARD', v1, v2, r)).toEqual([
      { path: '/version', problem: 'forward: const/enum narrowed: 2 written but not allowed by the reader' },
    ]);
    expect(compatibilityIssues('FULL', v1, event('v2c', { const: 2 }), r)).toEqual([
      { path: '/version', problem: 'const/enum narrowed: 1 written but not allowed by the reader' },
      { path: '/version', problem: 'forward: const/enum narrowed: 2 written but not allowed by the reader' },
    ]);
  });

  it('FORWARD: tightening in the new version is fine, loosening breaks old readers', () => {
    const loose = event('loose', { const: 1 });
    const tight = event('tight', { const: 1 }, { maxLength: 3 });
    expect(compatibilityIssues('FORWARD', loose, tight, r)).toEqual([]);
    expect(compatibilityIssues('BACKWARD', loose, tight, r)).toEqual([
      { path: '/code', problem: 'maxLength tightened from none to 3' },
    ]);
  });

  it('constraints inside allOf (as in the Glue draft-07 bundles) are compared', () => {
    const wrapped = (id: string, pattern: string): JsonSchema => ({
      $id: `${base}${id}.json`,
      definitions: { code: { type: 'string', pattern } },
      type: 'object',
      properties: { code: { allOf: [{ $ref: '#/definitions/code' }], minLength: 1 } },
    });
    const resolver = new SchemaResolver([wrapped('a', '^[A-Z]+$'), wrapped('b', '^[A-Z]{2}$')]);
    expect(compatibilityIssues('BACKWARD', wrapped('a', '^[A-Z]+$'), wrapped('b', '^[A-Z]{2}$'), resolver)).toEqual([
      { path: '/code', problem: 'pattern "^[A-Z]{2}$" added or changed' },
    ]);
  });
});
