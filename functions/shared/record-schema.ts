/**
 * A consumer's schema check of one decoded record: the `schema-version-id` header is resolved through the
 * schema registry's ids (schema-ids.ts) to the (type, version) the producer registered, that must be the
 * envelope's own, and the event is validated against the schema this build reads that version with
 * (readable-version.ts: its own, or one the registry's compatibility mode says reads it).
 *
 * - no header, or an id the registry never issued → UNKNOWN_SCHEMA_VERSION (nothing says what was written);
 * - an id of another (type, version) than the envelope names → INVALID_EVENT (header and value disagree);
 * - a registered version this build cannot read under the mode → UNKNOWN_VERSION (deploy consumers first);
 * - invalid against the schema it is read with → INVALID_EVENT.
 * Only records of types the consumer reacts to get here (kafka-consumer.ts skips the others unchecked).
 */
import { isEventType } from '../../schemas';
import type { AnyEventEnvelope } from './envelope';
import { PermanentError } from './errors';
import { CATALOG_VERSIONS, type KnownSchemaVersions, readAs } from './readable-version';
import { SCHEMA_VERSION_ID_HEADER, type SchemaVersionIds } from './schema-ids';
import { validateAgainst } from './validation';

export function checkRecordSchema(
  value: Record<string, unknown>,
  schemaVersionId: string | undefined,
  ids: SchemaVersionIds,
  known: KnownSchemaVersions = CATALOG_VERSIONS,
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
  const { type, version } = registered;
  if (!isEventType(type)) {
    throw new PermanentError('UNKNOWN_TYPE', `${type} is registered but not an event type this build knows`);
  }
  const reader = readAs(type, version, known);
  if (!reader.ok) throw new PermanentError('UNKNOWN_VERSION', reader.message);
  const result = validateAgainst(value, reader.entry);
  if (!result.ok) {
    const readWith = reader.entry.version === version ? '' : ` (read as v${reader.entry.version})`;
    throw new PermanentError(
      'INVALID_EVENT',
      `event rejected by its schema${readWith}: ${summarise(result.errors)}`,
      result.errors,
    );
  }
  return result.event;
}

const summarise = (errors: readonly { path: string; message: string }[]) =>
  errors
    .slice(0, 5)
    .map((e) => `${e.path || '/'} ${e.message}`)
    .join('; ');
