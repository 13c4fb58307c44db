/**
 * A consumer's schema check of one decoded record: the `schema-version-id` header is resolved through the
 * schema registry's ids (schema-ids.ts) to the (type, version) the producer registered, that must be the
 * envelope's own, and the event is validated against that version's schema.
 *
 * - no header, or an id the registry never issued → UNKNOWN_SCHEMA_VERSION (nothing says what was written);
 * - an id of another (type, version) than the envelope names → INVALID_EVENT (header and value disagree);
 * - a registered version this build has no schema for → UNKNOWN_VERSION (deploy consumers first);
 * - invalid against its schema → INVALID_EVENT.
 */
import type { AnyEventEnvelope } from './envelope';
import { PermanentError } from './errors';
import { SCHEMA_VERSION_ID_HEADER, type SchemaVersionIds } from './schema-ids';
import { validateEvent } from './validation';

export function checkRecordSchema(
  value: Record<string, unknown>,
  schemaVersionId: string | undefined,
  ids: SchemaVersionIds,
): AnyEventEnvelope {
  if (schemaVersionId === undefined || schemaVersionId.trim() === '') {
    throw new PermanentError('UNKNOWN_SCHEMA_VERSION', `record has no ${SCHEMA_VERSION_ID_HEADER} header`);
  }
  const registered = ids.resolve(schemaVersionId);
  if (!registered) {
    throw new PermanentError(
      'UNKNOWN_SCHEMA_VERSION',
      `${SCHEMA_VERSION_ID_HEADER} ${schemaVersionId} is not a version of the schema registry`,
    );
  }
  if (registered.type !== value.type || registered.version !== value.version) {
    throw new PermanentError(
      'INVALID_EVENT',
      `${SCHEMA_VERSION_ID_HEADER} ${schemaVersionId} is ${registered.type} v${registered.version}, ` +
        `the envelope says ${String(value.type)} v${String(value.version)}`,
    );
  }
  const result = validateEvent(value);
  if (!result.ok) {
    const reason = result.reason === 'INVALID' ? 'INVALID_EVENT' : result.reason;
    throw new PermanentError(reason, `event rejected by its schema: ${summarise(result.errors)}`, result.errors);
  }
  return result.event;
}

const summarise = (errors: readonly { path: string; message: string }[]) =>
  errors
    .slice(0, 5)
    .map((e) => `${e.path || '/'} ${e.message}`)
    .join('; ');
