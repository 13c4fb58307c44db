/**
 * Lambda event filtering (FilterCriteria): a record is delivered when it matches at least one pattern.
 * A pattern mirrors the record's structure; each leaf is a list of matchers, any of which may match:
 * exact values (string, number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (values or a prefix), `numeric` ranges, `exists`; `$or` combines sub-patterns. A field
 * the record does not have matches only `{ "exists": false }`; an array field matches if any element does.
 * Patterns are checked once, when compiled, so a typo fails at start-up with the path at fault.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Leaf = (value: unknown, present: boolean) => boolean;
export type RecordFilter = (record: unknown) => boolean;

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function fail(path: string, message: string): never {
  throw new Error(`invalid filter pattern at ${path || '(root)'}: ${message}`);
}

/** Compiles the patterns of one mapping: the record passes when any pattern matches (no patterns = all pass). */
export function compileFilters(patterns: readonly Record<string, unknown>[]): RecordFilter {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((p, i) => compileObject(p, `filter[${i}]`));
  return (record) => compiled.some((match) => match(record));
}

function compileObject(pattern: unknown, path: string): (data: unknown) => boolean {
  if (!isObject(pattern)) fail(path, 'expected an object');
  const checks: ((data: Record<string, unknown>) => boolean)[] = [];
  for (const [key, sub] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) fail(at, '$or needs an array of at least two patterns');
      const alternatives = sub.map((s, i) => compileObject(s, `${at}[${i}]`));
      checks.push((data) => alternatives.some((alt) => alt(data)));
    } else if (Array.isArray(sub)) {
      const leaf = compileLeaf(sub, at);
      checks.push((data) => {
        const present = Object.hasOwn(data, key);
        const value = data[key];
        if (present && Array.isArray(value)) return value.some((v) => leaf(v, true));
        return leaf(value, present);
      });
    } else if (isObject(sub)) {
      const nested = compileObject(sub, at);
      checks.push((data) => isObject(data[key]) && nested(data[key]));
    } else {
      fail(at, 'a leaf must be an array of matchers, e.g. ["INSERT"] or [{"prefix": "OUTBOX#"}]');
    }
  }
  return (data) => isObject(data) && checks.every((check) => check(data));
}

function compileLeaf(matchers: unknown[], path: string): Leaf {
  if (matchers.length === 0) fail(path, 'an empty list matches nothing');
  const compiled = matchers.map((m, i) => compileMatcher(m as Json, `${path}[${i}]`));
  return (value, present) => compiled.some((match) => match(value, present));
}

function compileMatcher(m: Json, path: string): Leaf {
  if (scalar(m)) {
    return (value, present) => present && value === m;
  }
  if (!isObject(m)) fail(path, 'a matcher is a value or an object like {"prefix": "..."}');
  const entries = Object.entries(m);
  if (entries.length !== 1) fail(path, 'a matcher object has exactly one operator');
  const [op, arg] = entries[0] as [string, Json];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const { text, ignoreCase } = textArgument(arg, `${path}.${op}`);
      const test = op === 'prefix' ? (s: string) => s.startsWith(text) : (s: string) => s.endsWith(text);
      return (value, present) => present && typeof value === 'string' && test(ignoreCase ? value.toLowerCase() : value);
    }
    case 'equals-ignore-case': {
      if (typeof arg !== 'string') fail(path, 'equals-ignore-case takes a string');
      return (value, present) => present && typeof value === 'string' && value.toLowerCase() === arg.toLowerCase();
    }
    case 'exists': {
      if (typeof arg !== 'boolean') fail(path, 'exists takes true or false');
      return (_value, present) => present === arg;
    }
    case 'anything-but':
      return anythingBut(arg, path);
    case 'numeric':
      return numeric(arg, path);
    default:
      return fail(path, `unsupported operator "${op}"`);
  }
}

function textArgument(arg: Json, path: string): { text: string; ignoreCase: boolean } {
  if (typeof arg === 'string') return { text: arg, ignoreCase: false };
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    return { text: (arg['equals-ignore-case'] as string).toLowerCase(), ignoreCase: true };
  }
  return fail(path, 'takes a string or {"equals-ignore-case": "..."}');
}

function anythingBut(arg: Json, path: string): Leaf {
  if (isObject(arg)) {
    if (typeof arg.prefix !== 'string') fail(path, 'anything-but takes values or {"prefix": "..."}');
    const prefix = arg.prefix;
    return (value, present) => present && typeof value === 'string' && !value.startsWith(prefix);
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  if (!excluded.every(scalar)) fail(path, 'anything-but takes strings, numbers or {"prefix": "..."}');
  return (value, present) => present && scalar(value) && !excluded.includes(value as Json);
}

function numeric(arg: Json, path: string): Leaf {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    fail(path, 'numeric takes one or two [operator, number] pairs, e.g. [">", 0, "<=", 5]');
  }
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    const compare = typeof op === 'string' ? NUMERIC_OPS[op] : undefined;
    if (!compare || typeof bound !== 'number')
      fail(path, `"${String(op)}" ${String(bound)} is not a numeric comparison`);
    tests.push((n) => compare(n, bound));
  }
  return (value, present) => present && typeof value === 'number' && tests.every((t) => t(value));
}
