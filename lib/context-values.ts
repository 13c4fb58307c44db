/**
 * Parsers of CDK context values for lib/config.ts: each accepts the JSON value of cdk.json or the string
 * of `-c key=value`, returns the fallback when unset, and otherwise fails the synth naming the key.
 */
import type { Range } from './aws-limits';

export function string(key: string, value: unknown, fallback: string, pattern: RegExp, what: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value))
    throw new Error(`context ${key}: must be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalString(key: string, value: unknown, pattern: RegExp, what: string): string | undefined {
  return value === undefined ? undefined : string(key, value, '', pattern, what);
}

export function integer(key: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${key}: must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export const integerIn = (key: string, value: unknown, fallback: number, range: Range): number =>
  integer(key, value, fallback, range.min, range.max);

export function boolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key}: must be true or false, got ${JSON.stringify(value)}`);
}
