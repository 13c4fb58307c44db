/**
 * The shape a benchmark report's figures must have, checked after a smoke run: every figure present and
 * a finite number (a NaN or a missing key is how a benchmark rots: a renamed field, a division by zero
 * orders). A shape is a check function or a plain object of shapes (the keys it must have); checks
 * return the problems they found, each naming the path of the value.
 */

export type Check = (value: unknown, path: string) => string[];
export type Shape = Check | { readonly [key: string]: Shape };

const problem = (path: string, value: unknown, what: string) => [`${path}: ${JSON.stringify(value)} is not ${what}`];

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks `value` against `shape`. */
export function check(shape: Shape, value: unknown, path = ''): string[] {
  if (typeof shape === 'function') return shape(value, path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem(path, value, 'an object');
  const record = value as Record<string, unknown>;
  return Object.entries(shape).flatMap(([key, inner]) => check(inner, record[key], path ? `${path}.${key}` : key));
}

export const finite: Check = (v, p) => (isNumber(v) ? [] : problem(p, v, 'a finite number'));

/** A count or rate of what the run did (orders completed, records processed): it did something. */
export const positive: Check = (v, p) => (isNumber(v) && v > 0 ? [] : problem(p, v, 'a finite number > 0'));

/** A server's CPU, null when its process could not be read (a server started by another checkout). */
export const finiteOrNull: Check = (v, p) => (v === null ? [] : finite(v, p));

export const text: Check = (v, p) => (typeof v === 'string' && v.length > 0 ? [] : problem(p, v, 'a string'));

export const flag: Check = (v, p) => (typeof v === 'boolean' ? [] : problem(p, v, 'a boolean'));

export const equals =
  (expected: unknown): Check =>
  (v, p) =>
    v === expected ? [] : problem(p, v, JSON.stringify(expected));

/** An ISO timestamp not before `since` (ms since epoch): written by this run, not left by an earlier one. */
export const timeNotBefore =
  (since: number): Check =>
  (v, p) =>
    typeof v === 'string' && Date.parse(v) >= since
      ? []
      : problem(p, v, `a time since ${new Date(since).toISOString()}`);

/** An array of at least `min` elements, each of `shape`. */
export const list =
  (shape: Shape, min = 1): Check =>
  (v, p) =>
    Array.isArray(v) && v.length >= min
      ? v.flatMap((item, i) => check(shape, item, `${p}[${i}]`))
      : problem(p, v, `an array of at least ${min}`);

/** An object with at least `min` entries of any name, each of `shape` (per function, per operation). */
export const entries =
  (shape: Shape, min = 1): Check =>
  (v, p) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length >= min
      ? Object.entries(v).flatMap(([key, item]) => check(shape, item, `${p}.${key}`))
      : problem(p, v, `an object of at least ${min} entries`);
