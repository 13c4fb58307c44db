/**
 * Test helpers for the catalog: where each schema file lives (derived from its `$id`, which mirrors
 * the layout under schemas/) and its examples file beside it. Tests only; never imported at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type JsonSchema, sharedSchemas } from './index';

export const ID_BASE = 'https://kafka-order-saga.example/schemas/';
export const SCHEMAS_DIR = __dirname;

/** schemas/<path> of a schema, from its `$id`. */
export function schemaPath(schema: JsonSchema): string {
  if (!schema.$id.startsWith(ID_BASE)) throw new Error(`$id ${schema.$id} is not under ${ID_BASE}`);
  return join(SCHEMAS_DIR, schema.$id.slice(ID_BASE.length));
}

export interface InvalidExample {
  readonly description: string;
  readonly expectedPath: string;
  readonly expectedKeyword: string;
  /** For events: the validateEvent reason (default INVALID). */
  readonly expectedReason?: 'INVALID' | 'UNKNOWN_TYPE' | 'UNKNOWN_VERSION';
  /** The invalid event (event schemas) or request body (API schemas). */
  readonly event?: unknown;
  readonly body?: unknown;
}

export interface Examples {
  readonly file: string;
  readonly valid: readonly unknown[];
  readonly invalid: readonly InvalidExample[];
}

/** The examples beside a schema: `<name>.json` → `<name>.examples.json`. */
export function examplesOf(schema: JsonSchema): Examples {
  const file = schemaPath(schema).replace(/\.json$/, '.examples.json');
  if (!existsSync(file)) throw new Error(`no examples file ${relative(SCHEMAS_DIR, file)}`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { valid?: unknown; invalid?: unknown };
  if (!Array.isArray(parsed.valid) || !Array.isArray(parsed.invalid)) {
    throw new Error(`${file}: expected {valid: [...], invalid: [...]}`);
  }
  return { file: relative(SCHEMAS_DIR, file), valid: parsed.valid, invalid: parsed.invalid as InvalidExample[] };
}

/** A shared schema by the end of its `$id` (e.g. '/envelope/v1.json'). */
export function sharedSchema(idSuffix: string): JsonSchema {
  const schema = sharedSchemas.find((s) => s.$id.endsWith(idSuffix));
  if (!schema) throw new Error(`no shared schema ${idSuffix}`);
  return schema;
}

/** The value of an invalid example, whichever key it uses. */
export const invalidValue = (example: InvalidExample): unknown => example.event ?? example.body;
