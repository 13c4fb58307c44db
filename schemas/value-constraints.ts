/**
 * Value constraints of one schema position, compared between a reader and a writer: does every value
 * the writer's keywords allow also satisfy the reader's? Used by compatibility.ts at each position.
 *
 * The comparison is conservative (it may report a change that happens to be harmless, never miss one
 * that is not): a reader keyword is compared with the writer's *same* keyword only, so a reader
 * `pattern` the writer lacks is reported even when the writer's own pattern would imply it, since
 * regular-expression inclusion cannot be decided in general. Registries' JSON Schema checks work the
 * same way (a pattern or format added or changed, an enum narrowed, a bound tightened is incompatible).
 */

export type SchemaNode = { readonly [keyword: string]: unknown };

/** Lower bounds (a larger reader value is tighter) and upper bounds (a smaller one is). */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/** Keywords this checker understands; any other assertion on the reader side cannot be compared. */
const COMPARED_KEYWORDS = new Set<string>([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  '$ref',
  'const',
  'enum',
  'pattern',
  'format',
  'multipleOf',
  'uniqueItems',
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
]);
/** Keywords without effect on which values are valid. */
const ANNOTATION_KEYWORDS = new Set<string>([
  '$schema',
  '$id',
  '$defs',
  'definitions',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Canonical JSON (sorted keys), so `{a,b}` and `{b,a}` compare equal as enum/const values. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The values `const`/`enum` allow at a position (all parts apply, so their intersection), or undefined: any. */
function allowedValues(parts: readonly SchemaNode[]): Map<string, unknown> | undefined {
  let allowed: Map<string, unknown> | undefined;
  for (const node of parts) {
    const own: unknown[] | undefined =
      'const' in node ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]) : undefined;
    if (own === undefined) continue;
    const byKey = new Map(own.map((v) => [canonical(v), v]));
    allowed = allowed === undefined ? byKey : new Map([...allowed].filter(([k]) => byKey.has(k)));
  }
  return allowed;
}

const stringsOf = (parts: readonly SchemaNode[], keyword: string) =>
  new Set(parts.map((p) => p[keyword]).filter((v): v is string => typeof v === 'string'));

const numbersOf = (parts: readonly SchemaNode[], keyword: string) =>
  parts.map((p) => p[keyword]).filter((v): v is number => typeof v === 'number');

/** Every reason a value the writer allows here could fail the reader's value constraints. */
export function valueConstraintIssues(reader: readonly SchemaNode[], writer: readonly SchemaNode[]): string[] {
  const issues: string[] = [];

  const readerValues = allowedValues(reader);
  const writerValues = allowedValues(writer);
  if (readerValues !== undefined) {
    const show = (m: Map<string, unknown>) => [...m.keys()].join(', ');
    if (writerValues === undefined) {
      issues.push(`values narrowed to ${show(readerValues)} (const/enum; the writer allows any)`);
    } else {
      const lost = new Map([...writerValues].filter(([k]) => !readerValues.has(k)));
      if (lost.size > 0) issues.push(`const/enum narrowed: ${show(lost)} written but not allowed by the reader`);
    }
  }

  const writerPatterns = stringsOf(writer, 'pattern');
  for (const pattern of stringsOf(reader, 'pattern')) {
    if (!writerPatterns.has(pattern)) issues.push(`pattern ${JSON.stringify(pattern)} added or changed`);
  }
  const writerFormats = stringsOf(writer, 'format');
  for (const format of stringsOf(reader, 'format')) {
    if (!writerFormats.has(format)) issues.push(`format ${JSON.stringify(format)} added or changed`);
  }

  const bound = (
    keyword: string,
    tightest: (values: number[]) => number,
    tighter: (r: number, w: number) => boolean,
  ) => {
    const r = numbersOf(reader, keyword);
    if (r.length === 0) return;
    const w = numbersOf(writer, keyword);
    const readerBound = tightest(r);
    const writerBound = w.length > 0 ? tightest(w) : undefined;
    if (writerBound === undefined || tighter(readerBound, writerBound)) {
      issues.push(`${keyword} tightened from ${writerBound ?? 'none'} to ${readerBound}`);
    }
  };
  for (const k of LOWER_BOUNDS)
    bound(
      k,
      (v) => Math.max(...v),
      (r, w) => r > w,
    );
  for (const k of UPPER_BOUNDS)
    bound(
      k,
      (v) => Math.min(...v),
      (r, w) => r < w,
    );

  const writerMultiples = numbersOf(writer, 'multipleOf');
  for (const m of numbersOf(reader, 'multipleOf')) {
    if (!writerMultiples.some((w) => Number.isInteger(w / m))) issues.push(`multipleOf ${m} added or changed`);
  }
  if (reader.some((p) => p.uniqueItems === true) && !writer.some((p) => p.uniqueItems === true)) {
    issues.push('uniqueItems added');
  }
  for (const node of reader) {
    for (const keyword of Object.keys(node)) {
      if (!COMPARED_KEYWORDS.has(keyword) && !ANNOTATION_KEYWORDS.has(keyword) && !keyword.startsWith('x-')) {
        issues.push(`keyword "${keyword}" on the reader side is not compared (treated as incompatible)`);
      }
    }
  }
  return issues;
}
