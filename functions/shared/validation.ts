/**
 * Schema validation for events and API requests. The validators are compiled at build time
 * (scripts/generate-validators.ts → schemas/generated/validators.js, Ajv standalone code), so a function
 * neither ships Ajv's compiler nor compiles at cold start: validating is calling a plain function. Errors
 * name the failing field by its JSON Pointer (`/payload/items/0/quantity`), including the missing or
 * unexpected property itself.
 */
import type { ErrorObject } from 'ajv';
import {
  createOrderRequestSchema,
  type EventSchemaEntry,
  eventSchema,
  isEventType,
  type JsonSchema,
  versionsOf,
} from '../../schemas';
import buildTimeValidators from '../../schemas/generated/validators';
import type { CreateOrderRequest, DomainEvent } from '../../schemas/types';

export interface ValidationIssue {
  /** JSON Pointer of the failing field ('' = the whole value). */
  readonly path: string;
  readonly message: string;
  /** The JSON Schema keyword that failed (required, pattern, maximum, ...). */
  readonly keyword: string;
}

export type EventValidation =
  | { readonly ok: true; readonly event: DomainEvent }
  | {
      readonly ok: false;
      readonly reason: 'UNKNOWN_TYPE' | 'UNKNOWN_VERSION' | 'INVALID';
      readonly errors: readonly ValidationIssue[];
    };

export type RequestValidation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly ValidationIssue[] };

type SchemaId = keyof typeof buildTimeValidators;
type BuildTimeValidator = (typeof buildTimeValidators)[SchemaId];

function validatorFor(schema: JsonSchema): BuildTimeValidator {
  // The cast is checked by hasOwn: every catalog $id the generator saw is a key of the generated module.
  const validate = Object.hasOwn(buildTimeValidators, schema.$id)
    ? buildTimeValidators[schema.$id as SchemaId]
    : undefined;
  if (!validate) throw new Error(`no build-time validator for ${schema.$id}: run \`npm run generate:validators\``);
  return validate;
}

/** Ajv errors → stable issues: the path names the field itself, also for required/additionalProperties. */
export function toIssues(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  const issues = (errors ?? []).map((e): ValidationIssue => {
    if (e.keyword === 'required') {
      const field = String(e.params.missingProperty);
      return { path: `${e.instancePath}/${escapePointer(field)}`, message: 'is required', keyword: e.keyword };
    }
    if (e.keyword === 'additionalProperties') {
      const field = String(e.params.additionalProperty);
      return { path: `${e.instancePath}/${escapePointer(field)}`, message: 'is not allowed', keyword: e.keyword };
    }
    if (e.keyword === 'const' || e.keyword === 'enum') {
      const allowed = e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]);
      const message = `must be ${allowed.map((v) => JSON.stringify(v)).join(' or ')}`;
      return { path: e.instancePath, message, keyword: e.keyword };
    }
    return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}`, keyword: e.keyword };
  });
  // The same rule can be stated twice (the envelope and an event schema both say payload is an object).
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.keyword}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const failure = (reason: 'UNKNOWN_TYPE' | 'UNKNOWN_VERSION' | 'INVALID', issue: ValidationIssue): EventValidation => ({
  ok: false,
  reason,
  errors: [issue],
});

/**
 * Validates a whole event (envelope and payload) against the schema of its own type and version.
 * An unknown type or version is its own reason: the event may be fine, this build just cannot read it.
 */
export function validateEvent(value: unknown): EventValidation {
  if (!isObject(value)) return failure('INVALID', { path: '', message: 'must be a JSON object', keyword: 'type' });
  const { type, version } = value;
  if (type === undefined) return failure('INVALID', { path: '/type', message: 'is required', keyword: 'required' });
  if (typeof type !== 'string')
    return failure('INVALID', { path: '/type', message: 'must be string', keyword: 'type' });
  if (!isEventType(type)) {
    return failure('UNKNOWN_TYPE', {
      path: '/type',
      message: `unknown event type ${JSON.stringify(type)}`,
      keyword: 'enum',
    });
  }
  if (version === undefined) {
    return failure('INVALID', { path: '/version', message: 'is required', keyword: 'required' });
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return failure('INVALID', { path: '/version', message: 'must be integer', keyword: 'type' });
  }
  const entry = eventSchema(type, version);
  if (!entry) {
    return failure('UNKNOWN_VERSION', {
      path: '/version',
      message: `unknown version ${version} of ${type} (known: ${versionsOf(type).join(', ')})`,
      keyword: 'enum',
    });
  }
  return validateAgainst(value, entry);
}

/**
 * Validates a whole event against one given schema version, which may differ from the event's own when a
 * consumer reads it with a version its compatibility mode lets it use (readable-version.ts).
 */
export function validateAgainst(value: Record<string, unknown>, entry: EventSchemaEntry): EventValidation {
  const validate = validatorFor(entry.schema);
  if (validate(value)) return { ok: true, event: value as unknown as DomainEvent }; // checked by the schema above
  return { ok: false, reason: 'INVALID', errors: toIssues(validate.errors) };
}

/** Validates a POST /orders body, reporting every failing field. */
export function validateCreateOrderRequest(body: unknown): RequestValidation<CreateOrderRequest> {
  const validate = validatorFor(createOrderRequestSchema);
  if (validate(body)) return { ok: true, value: body as CreateOrderRequest }; // checked by the schema above
  return { ok: false, errors: toIssues(validate.errors) };
}
