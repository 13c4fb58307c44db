/**
 * The schema definition registered in the AWS Glue Schema Registry for one event schema file.
 *
 * The catalog's schemas are JSON Schema 2020-12 split over files ($ref to ../../envelope/v1.json and
 * ../../common/v1.json#/$defs/...). Glue's JSON format accepts one self-contained document in drafts
 * 4, 6 or 7, so this derives a draft-07 bundle: every referenced definition is copied into
 * `definitions` and each $ref points there. In 2020-12 a $ref applies *together with* its sibling
 * keywords; draft 7 ignores siblings of $ref, so such a node becomes `allOf: [{$ref}]` + siblings.
 * Keywords draft 7 lacks make the derivation fail rather than silently weaken the schema.
 */

export const DRAFT7_URI = 'http://json-schema.org/draft-07/schema#';

export interface SchemaDocument {
  readonly $id: string;
  readonly [keyword: string]: unknown;
}

type Json = Record<string, unknown>;

/** 2019-09/2020-12 keywords with no draft-7 meaning. */
const UNSUPPORTED = new Set([
  'prefixItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  'dependentRequired',
  'dependentSchemas',
  'minContains',
  'maxContains',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$vocabulary',
]);
/** Keywords whose value is data, never a schema: copied as is. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required']);
/** Dropped from every node: identifiers (the bundle has one), shared definitions (re-homed) and vendor keys. */
const dropped = (keyword: string) =>
  keyword === '$schema' || keyword === '$id' || keyword === '$defs' || keyword.startsWith('x-');

/**
 * Bundles `schema` and the parts of `shared` it references into one draft-07 document.
 * `shared` are the documents $ref may point into, identified by their `$id`.
 */
export function glueSchemaDefinition(schema: SchemaDocument, shared: readonly SchemaDocument[]): Json {
  const documents = new Map<string, SchemaDocument>([...shared, schema].map((d) => [stripFragment(d.$id), d]));
  const definitions: Json = {};
  const inProgress = new Set<string>();

  const definitionFor = (absoluteRef: string, at: string): string => {
    const [docUri = '', fragment = ''] = absoluteRef.split('#');
    const doc = documents.get(docUri);
    if (!doc) throw new Error(`${at}: $ref ${absoluteRef} points outside the catalog`);
    const key = definitionKey(docUri, fragment, at);
    if (definitions[key] !== undefined || inProgress.has(key)) return key;
    inProgress.add(key);
    const target = fragment === '' ? doc : resolvePointer(doc, fragment, `${at} ($ref ${absoluteRef})`);
    definitions[key] = convert(target, doc.$id, `${docUri}#${fragment}`);
    inProgress.delete(key);
    return key;
  };

  const convert = (node: unknown, base: string, at: string): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => convert(item, base, `${at}/${i}`));
    if (typeof node !== 'object' || node === null) return node;
    const out: Json = {};
    let ref: string | undefined;
    for (const [keyword, value] of Object.entries(node)) {
      const path = `${at}/${keyword}`;
      if (UNSUPPORTED.has(keyword)) throw new Error(`${path}: keyword "${keyword}" has no draft-07 equivalent`);
      if (dropped(keyword)) continue;
      if (keyword === '$ref') {
        if (typeof value !== 'string') throw new Error(`${path}: $ref must be a string`);
        ref = `#/definitions/${definitionFor(new URL(value, base).href, path)}`;
      } else if (DATA_KEYWORDS.has(keyword)) out[keyword] = value;
      else if (keyword === 'properties' || keyword === 'patternProperties') {
        out[keyword] = Object.fromEntries(
          Object.entries(value as Json).map(([name, sub]) => [name, convert(sub, base, `${path}/${name}`)]),
        );
      } else out[keyword] = convert(value, base, path);
    }
    if (ref === undefined) return out;
    if (Object.keys(out).length === 0) return { $ref: ref };
    const siblings = Array.isArray(out.allOf) ? (out.allOf as unknown[]) : [];
    return { ...out, allOf: [{ $ref: ref }, ...siblings] };
  };

  const rootUri = stripFragment(schema.$id);
  const root = convert(schema, rootUri, rootUri) as Json;
  // Key order: $schema first, definitions last, for a readable registry entry.
  return { $schema: DRAFT7_URI, ...root, ...(Object.keys(definitions).length > 0 ? { definitions } : {}) };
}

function stripFragment(uri: string): string {
  return uri.split('#')[0] ?? uri;
}

/** `https://…/schemas/common/v1.json` + `/$defs/money` → `common-v1-money` (stable, readable). */
function definitionKey(docUri: string, fragment: string, at: string): string {
  const match = /\/schemas\/(.+)\.json$/.exec(new URL(docUri).pathname);
  if (!match?.[1]) throw new Error(`${at}: cannot name a definition for ${docUri}`);
  const doc = match[1].replace(/[^A-Za-z0-9]+/g, '-');
  if (fragment === '') return doc;
  const defs = /^\/\$defs\/([A-Za-z0-9_-]+)$/.exec(fragment);
  if (!defs?.[1]) throw new Error(`${at}: only #/$defs/<name> fragments are supported, got #${fragment}`);
  return `${doc}-${defs[1]}`;
}

function resolvePointer(doc: SchemaDocument, pointer: string, at: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Json)[token] : undefined;
    if (node === undefined) throw new Error(`${at}: nothing at #${pointer}`);
  }
  return node;
}
