/**
 * Structural compatibility between two versions of an event schema (used by schemas/*.test.ts; usable
 * from a CI script). BACKWARD means the new schema accepts all data written with the old one, so
 * consumers are upgraded first; FULL means also the reverse, so either side may upgrade first.
 *
 * FORWARD means the old schema accepts all data written with the new one (producers may go first).
 * These are the modes of the AWS Glue Schema Registry, which checks each new version against the
 * previous one when it is registered and rejects an incompatible one (so does CloudFormation's
 * AWS::Glue::SchemaVersion, failing the stack):
 * https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html (Versioning and compatibility)
 *
 * `readerAcceptsWriter(reader, writer)` walks both schemas in parallel (through `$ref`, `allOf`,
 * `properties` and `items`, recursively) and reports every rule that would let a writer-valid value
 * fail the reader:
 *  - a property the reader requires that the writer does not (a new required field);
 *  - a writer property the reader does not declare while the reader is closed (additionalProperties false);
 *  - a reader that is closed where the writer is open;
 *  - a property only the reader declares while the writer is open (the writer may have put any value
 *    there: an open content model cannot gain a constrained property compatibly);
 *  - a JSON `type` the writer allows and the reader does not (integer → number widens, the reverse narrows);
 *  - value constraints narrowed (value-constraints.ts): `const`/`enum` losing a written value, a
 *    `pattern` or `format` added or changed, a bound tightened; and any reader keyword it cannot compare.
 * It works on the catalog's 2020-12 files and on the draft-07 bundles registered in Glue alike.
 */
import type { JsonSchema } from './index';
import { type SchemaNode, valueConstraintIssues } from './value-constraints';

type Node = SchemaNode;

/** One schema position: every subschema applying there (a node and what its `$ref`s point to). */
interface View {
  readonly parts: readonly { readonly node: Node; readonly base: string }[];
}

export interface CompatibilityIssue {
  /** Instance path (JSON Pointer, `*` for array items) where the versions disagree. */
  readonly path: string;
  readonly problem: string;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SchemaResolver {
  private readonly byId = new Map<string, JsonSchema>();

  constructor(schemas: readonly JsonSchema[]) {
    for (const s of schemas) this.byId.set(s.$id, s);
  }

  /** The node a `$ref` points to, with the base URI to resolve its own refs against. */
  resolve(ref: string, base: string): { node: Node; base: string } {
    const url = new URL(ref, base);
    const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
    url.hash = '';
    const doc = this.byId.get(url.href);
    if (!doc) throw new Error(`unresolvable $ref ${ref} from ${base}`);
    let node: unknown = doc;
    for (const token of fragment.split('/').slice(1)) {
      node = isNode(node) ? node[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (!isNode(node)) throw new Error(`$ref ${ref} from ${base} points at nothing`);
    return { node, base: url.href };
  }

  view(node: Node, base: string): View {
    const parts: { node: Node; base: string }[] = [];
    const visit = (n: Node, b: string, depth: number) => {
      if (depth > 32) throw new Error(`$ref cycle near ${b}`);
      const ownBase = typeof n.$id === 'string' ? new URL(n.$id, b).href : b;
      parts.push({ node: n, base: ownBase });
      if (typeof n.$ref === 'string') {
        const target = this.resolve(n.$ref, ownBase);
        visit(target.node, target.base, depth + 1);
      }
      // allOf: every subschema applies at this same position, like a $ref beside siblings.
      if (Array.isArray(n.allOf)) for (const sub of n.allOf) if (isNode(sub)) visit(sub, ownBase, depth + 1);
    };
    visit(node, base, 0);
    return { parts };
  }
}

const required = (v: View) => new Set(v.parts.flatMap((p) => (Array.isArray(p.node.required) ? p.node.required : [])));
const closed = (v: View) => v.parts.some((p) => p.node.additionalProperties === false);

/** The JSON types allowed at a position (every part's `type` applies: their intersection), or undefined: any. */
function typesOf(v: View): Set<string> | undefined {
  let types: Set<string> | undefined;
  for (const { node } of v.parts) {
    if (node.type === undefined) continue;
    const own = new Set((Array.isArray(node.type) ? node.type : [node.type]).map(String));
    if (own.has('number')) own.add('integer');
    types = types === undefined ? own : new Set([...types].filter((t) => own.has(t)));
  }
  return types;
}

/** Writer types the reader rejects ('integer' is accepted by a 'number' reader). */
function typeIssue(reader: View, writer: View): string | undefined {
  const r = typesOf(reader);
  if (r === undefined) return undefined;
  const w = typesOf(writer);
  const show = (t: Set<string>) => {
    const names = [...t].filter((x) => x !== 'integer' || !t.has('number')).sort();
    return JSON.stringify(names.length === 1 ? names[0] : names);
  };
  if (w === undefined) return `type narrowed to ${show(r)} (the writer allows any)`;
  const lost = [...w].filter((t) => !r.has(t));
  return lost.length > 0 ? `type changed from ${show(w)} to ${show(r)}` : undefined;
}

function properties(v: View, resolver: SchemaResolver): Map<string, View> {
  const byName = new Map<string, { node: Node; base: string }[]>();
  for (const { node, base } of v.parts) {
    if (!isNode(node.properties)) continue;
    for (const [name, sub] of Object.entries(node.properties)) {
      if (!isNode(sub)) continue;
      byName.set(name, [...(byName.get(name) ?? []), ...resolver.view(sub, base).parts]);
    }
  }
  return new Map([...byName].map(([name, parts]) => [name, { parts }]));
}

function itemsOf(v: View, resolver: SchemaResolver): View | undefined {
  const parts = v.parts.flatMap(({ node, base }) => (isNode(node.items) ? resolver.view(node.items, base).parts : []));
  return parts.length > 0 ? { parts } : undefined;
}

function compare(reader: View, writer: View, path: string, resolver: SchemaResolver, out: CompatibilityIssue[]) {
  const type = typeIssue(reader, writer);
  if (type) out.push({ path, problem: type });
  const nodes = (v: View) => v.parts.map((p) => p.node);
  for (const problem of valueConstraintIssues(nodes(reader), nodes(writer))) out.push({ path, problem });
  for (const { node } of reader.parts) {
    if (isNode(node.additionalProperties)) out.push({ path, problem: 'additionalProperties schema is not compared' });
    if (Array.isArray(node.items)) out.push({ path, problem: 'tuple items are not compared' });
  }
  const writerRequired = required(writer);
  for (const name of required(reader)) {
    if (!writerRequired.has(name)) out.push({ path: `${path}/${name}`, problem: 'required by the reader only' });
  }
  const rProps = properties(reader, resolver);
  const wProps = properties(writer, resolver);
  if (closed(reader)) {
    if (!closed(writer)) out.push({ path, problem: 'reader is closed (additionalProperties false), writer is open' });
    for (const name of wProps.keys()) {
      if (!rProps.has(name)) out.push({ path: `${path}/${name}`, problem: 'written but not allowed by the reader' });
    }
  }
  for (const [name, w] of wProps) {
    const r = rProps.get(name);
    if (r) compare(r, w, `${path}/${name}`, resolver, out);
  }
  if (!closed(writer)) {
    for (const [name, r] of rProps) if (!wProps.has(name)) compare(r, { parts: [] }, `${path}/${name}`, resolver, out);
  }
  const rItems = itemsOf(reader, resolver);
  const wItems = itemsOf(writer, resolver);
  if (rItems) compare(rItems, wItems ?? { parts: [] }, `${path}/*`, resolver, out);
}

/** Every structural reason a value valid under `writer` could be rejected by `reader` (empty = none found). */
export function readerAcceptsWriter(
  reader: JsonSchema,
  writer: JsonSchema,
  resolver: SchemaResolver,
): CompatibilityIssue[] {
  const out: CompatibilityIssue[] = [];
  compare(resolver.view(reader, reader.$id), resolver.view(writer, writer.$id), '', resolver, out);
  return out;
}

/** Glue's compatibility modes that compare two versions (the *_ALL modes compare every earlier pair the same way). */
export type CheckedMode = 'BACKWARD' | 'FORWARD' | 'FULL';

/** Issues breaking `mode` between two consecutive versions (BACKWARD: new reads old; FORWARD: old reads new; FULL: both). */
export function compatibilityIssues(
  mode: CheckedMode,
  older: JsonSchema,
  newer: JsonSchema,
  resolver: SchemaResolver,
): CompatibilityIssue[] {
  const backward = mode === 'FORWARD' ? [] : readerAcceptsWriter(newer, older, resolver);
  if (mode === 'BACKWARD') return backward;
  const forward = readerAcceptsWriter(older, newer, resolver).map((i) => ({ ...i, problem: `forward: ${i.problem}` }));
  return [...backward, ...forward];
}
