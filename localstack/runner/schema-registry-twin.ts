/**
 * The Glue Schema Registry twin: registers the catalog's event schemas (schemas/index.ts) the way the
 * CDK stack registers them in Glue (lib/streaming/schema-registry.ts) and assigns each version an id.
 *
 * - What is registered is the same draft-07 definition Glue receives (glue-schema-definition.ts).
 * - Like Glue, a later version is registered only if it passes the schema's compatibility mode against
 *   the previous one (schemas/compatibility.ts); otherwise registration fails naming every issue, as
 *   CloudFormation's AWS::Glue::SchemaVersion fails the stack.
 *   https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html ("Schema versioning and compatibility")
 * - Ids are UUIDs like Glue's SchemaVersionId. Glue draws them at random and keeps them; the twin has no
 *   store of its own, so it derives them (UUIDv5) from the registry name, schema name, version number and
 *   the definition's SHA-256: every process provisioning the same copy agrees on them, a record written
 *   before a restart still resolves, and a changed definition gets a new id.
 */
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { RegisteredVersion } from '../../functions/shared/schema-ids';
import { glueSchemaDefinition } from '../../lib/streaming/glue-schema-definition';
import {
  type CheckedMode,
  type CompatibilityIssue,
  compatibilityIssues,
  SchemaResolver,
} from '../../schemas/compatibility';
import { type EventSchemaEntry, eventSchemas, type JsonSchema, sharedSchemas } from '../../schemas/index';

/** Namespace of the twin's UUIDv5 ids (fixed: ids must be stable across runs). */
const TWIN_ID_NAMESPACE = '6f1c1a52-2f4e-4c1e-9a55-3f3c0c7e8b10';

export class SchemaRegistrationRefused extends Error {
  override readonly name = 'SchemaRegistrationRefused';
  constructor(
    readonly type: string,
    readonly version: number,
    readonly issues: readonly CompatibilityIssue[],
  ) {
    super(
      `schema registry refuses ${type} v${version}: not ${issues.length > 0 ? 'compatible' : 'registrable'} with ` +
        `v${version - 1}: ${issues.map((i) => `${i.path || '/'} ${i.problem}`).join('; ')}`,
    );
  }
}

export interface RegisteredDefinition extends RegisteredVersion {
  /** The draft-07 definition as registered (what Glue's GetSchemaVersion returns as SchemaDefinition). */
  readonly definition: string;
}

/** The local registry name of a copy of the topology (the deployed one is lib/names.ts schemaRegistry). */
export const localRegistryName = (prefix: string) => `${prefix}order-saga-events`;

/** The definition as registered, given an `$id` so the checker can resolve its `#/definitions/...` refs. */
function registeredDocument(entry: EventSchemaEntry): JsonSchema {
  return {
    ...glueSchemaDefinition(entry.schema, sharedSchemas),
    $id: `https://glue.invalid/${entry.type}/v${entry.version}.json`,
  };
}

/**
 * Registers `entries` (default: the whole catalog) in `registryName`, versions of a type in order, and
 * returns every registered version with its id. Throws SchemaRegistrationRefused for an incompatible one.
 */
export function registerSchemas(
  registryName: string,
  entries: readonly EventSchemaEntry[] = eventSchemas,
): RegisteredDefinition[] {
  const byType = new Map<string, EventSchemaEntry[]>();
  for (const e of entries) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  const registered: RegisteredDefinition[] = [];
  for (const [type, versions] of byType) {
    const ordered = [...versions].sort((a, b) => a.version - b.version);
    let previous: EventSchemaEntry | undefined;
    for (const entry of ordered) {
      if (previous) {
        if (entry.version !== previous.version + 1) throw new SchemaRegistrationRefused(type, entry.version, []);
        const older = registeredDocument(previous);
        const newer = registeredDocument(entry);
        const mode = entry.compatibility as CheckedMode;
        const issues = compatibilityIssues(mode, older, newer, new SchemaResolver([older, newer]));
        if (issues.length > 0) throw new SchemaRegistrationRefused(type, entry.version, issues);
      }
      const definition = JSON.stringify(glueSchemaDefinition(entry.schema, sharedSchemas));
      const digest = createHash('sha256').update(definition).digest('hex');
      const id = uuidv5(`${registryName}\n${type}\n${entry.version}\n${digest}`, TWIN_ID_NAMESPACE);
      registered.push({ type, version: entry.version, id, definition });
      previous = entry;
    }
  }
  return registered;
}
