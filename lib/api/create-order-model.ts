/**
 * The API Gateway request model of POST /orders, derived from schemas/api/create-order-request/v1.json
 * (JSON Schema 2020-12) rather than copied: API Gateway models are JSON Schema draft 4. The converter
 * rewrites the few keywords whose form changed since draft 4 and refuses anything it cannot express,
 * so a schema change that API Gateway could not enforce fails the synth instead of being dropped.
 * Pure data in, pure data out (no CDK imports): the local API twin may use it too.
 */
import { createOrderRequestSchema } from '../../schemas/index';

export const DRAFT4_URI = 'http://json-schema.org/draft-04/schema#';

export type Draft4Schema = { readonly [keyword: string]: unknown };

/** Keywords draft 4 validates; converted subschemas use only these (plus annotations below). */
const DRAFT4_KEYWORDS = new Set([
  'type',
  'enum',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'items',
  'additionalItems',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'format',
]);
const ANNOTATIONS = new Set(['title', 'description', 'default']);
/** Dropped: identifiers and annotations draft 4 spells differently or lacks; they never affect validation. */
const DROPPED = new Set(['$schema', '$id', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
/** Keywords whose value is a subschema, or an array of subschemas. */
const SCHEMA_VALUES = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf']);

/** Converts a self-contained 2020-12 schema (no `$ref`) to draft 4. */
export function toDraft4(schema: Draft4Schema): Draft4Schema {
  return { $schema: DRAFT4_URI, ...convert(schema, '#') };
}

/** The POST /orders body model, as API Gateway stores it. */
export function createOrderRequestModel(): Draft4Schema {
  return toDraft4(createOrderRequestSchema);
}

function convert(node: unknown, path: string): Record<string, unknown> {
  if (typeof node === 'boolean') throw new Error(`${path}: boolean schemas are not draft 4`);
  if (!isObject(node)) throw new Error(`${path}: a schema must be an object, got ${JSON.stringify(node)}`);
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    const at = `${path}/${keyword}`;
    if (DROPPED.has(keyword) || keyword.startsWith('x-')) continue;
    if (keyword === '$ref') throw new Error(`${at}: the request schema must be self-contained (no $ref)`);
    if (ANNOTATIONS.has(keyword)) out[keyword] = value;
    else if (keyword === 'const') out.enum = constant(node, value, at);
    else if (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum')
      exclusiveBound(node, out, keyword, value, at);
    else if (SCHEMA_MAPS.has(keyword)) out[keyword] = mapValues(value, at);
    else if (SCHEMA_VALUES.has(keyword)) out[keyword] = schemaOrList(value, at);
    else if (keyword === 'dependencies' || keyword === 'dependentRequired') out.dependencies = dependencies(value, at);
    else if (DRAFT4_KEYWORDS.has(keyword)) out[keyword] = value;
    else throw new Error(`${at}: keyword "${keyword}" has no draft-4 equivalent API Gateway could enforce`);
  }
  return out;
}

/**
 * 2020-12 `const: v` is draft-4 `enum: [v]`. The collision is checked on the source node, not on the
 * output built so far, so the result does not depend on key order.
 */
function constant(node: Record<string, unknown>, value: unknown, at: string): unknown[] {
  if (node.enum !== undefined) throw new Error(`${at}: cannot combine with enum in draft 4`);
  return [value];
}

/**
 * 2020-12 `exclusiveMinimum: n` is draft-4 `minimum: n, exclusiveMinimum: true`. The collision with
 * `minimum`/`maximum` is checked on the source node, so either key order is refused.
 */
function exclusiveBound(
  node: Record<string, unknown>,
  out: Record<string, unknown>,
  keyword: string,
  value: unknown,
  at: string,
): void {
  if (typeof value === 'boolean') throw new Error(`${at}: boolean form is draft 4 already; the source must be 2020-12`);
  if (typeof value !== 'number') throw new Error(`${at}: must be a number`);
  const bound = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum';
  if (node[bound] !== undefined) throw new Error(`${at}: cannot combine with ${bound} in draft 4`);
  out[bound] = value;
  out[keyword] = true;
}

function mapValues(value: unknown, at: string): Record<string, unknown> {
  if (!isObject(value)) throw new Error(`${at}: must be an object`);
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub, `${at}/${name}`)]));
}

function schemaOrList(value: unknown, at: string): unknown {
  if (typeof value === 'boolean') {
    // Draft 4 allows booleans only for additionalProperties/additionalItems.
    if (at.endsWith('/additionalProperties') || at.endsWith('/additionalItems')) return value;
    throw new Error(`${at}: boolean schemas are not draft 4`);
  }
  if (Array.isArray(value)) {
    if (at.endsWith('/items')) throw new Error(`${at}: tuple items are spelled prefixItems in 2020-12; unsupported`);
    return value.map((sub, i) => convert(sub, `${at}/${i}`));
  }
  return convert(value, at);
}

function dependencies(value: unknown, at: string): Record<string, unknown> {
  if (!isObject(value)) throw new Error(`${at}: must be an object`);
  return Object.fromEntries(
    Object.entries(value).map(([name, dep]) => [name, Array.isArray(dep) ? dep : convert(dep, `${at}/${name}`)]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
