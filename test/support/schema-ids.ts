/**
 * The schema version ids tests run with: the registry twin's ids for the topology's own names (what
 * `npm start` provisions). backends-env.ts puts them in SCHEMA_VERSION_IDS for handlers under test.
 */
import type { AnyEventEnvelope } from '../../functions/shared/envelope';
import { SCHEMA_VERSION_ID_HEADER, SchemaVersionIds } from '../../functions/shared/schema-ids';
import { localRegistryName, registerSchemas } from '../../localstack/runner/schema-registry-twin';

export const testSchemaIds = new SchemaVersionIds(registerSchemas(localRegistryName('')));

/**
 * The header the relay stamps on `event`'s record; none for a (type, version) the registry lacks (the
 * relay would refuse to publish it, so such a record comes from elsewhere and carries no id of ours).
 */
export function schemaIdHeader(event: Pick<AnyEventEnvelope, 'type' | 'version'>): Record<string, string> {
  const id = testSchemaIds.idOf(event.type, event.version);
  return id ? { [SCHEMA_VERSION_ID_HEADER]: id } : {};
}

/** Every header the relay puts on `event`'s record, written out (not from the relay's code) for assertions. */
export function relayedHeaders(event: AnyEventEnvelope): Record<string, string> {
  return {
    'event-type': event.type,
    'event-version': String(event.version),
    'event-id': event.eventId,
    'correlation-id': event.correlationId,
    ...schemaIdHeader(event),
  };
}
