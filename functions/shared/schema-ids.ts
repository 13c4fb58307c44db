/**
 * The schema registry's identity of every event schema version, as the functions see it at run time.
 *
 * Every Kafka record carries the registry's id of its schema version in the `schema-version-id` header
 * (docs/design.md "Schema registry at run time"). The ids are the registry's own: in AWS the
 * `VersionId`s of the deployed Glue schema versions (lib/streaming/schema-registry.ts), locally the ids
 * the registry twin assigned at provisioning (localstack/runner/schema-registry-twin.ts). Both reach the
 * functions in one environment variable, SCHEMA_VERSION_IDS = {"<type>": {"<version>": "<id>"}}, so the
 * code is the same in both places and a record's id is resolved without a network call.
 *
 * The producer (the relay) refuses an event whose (type, version) has no id: the registry never accepted
 * it. A consumer resolves the header's id to (type, version) and validates against that version; an id it
 * cannot resolve is dead-lettered as UNKNOWN_SCHEMA_VERSION.
 */
import { ConfigError } from './config';

export const SCHEMA_VERSION_IDS_ENV = 'SCHEMA_VERSION_IDS';
export const SCHEMA_VERSION_ID_HEADER = 'schema-version-id';

export interface RegisteredVersion {
  readonly type: string;
  readonly version: number;
  readonly id: string;
}

/** {"OrderCreated": {"1": "<id>", "2": "<id>"}, ...}: the variable's format. */
export type SchemaVersionIdMap = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Glue's SchemaVersionId is a UUID; the twin assigns UUIDs too. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SchemaVersionIds {
  private readonly byKey = new Map<string, string>();
  private readonly byId = new Map<string, RegisteredVersion>();

  constructor(versions: readonly RegisteredVersion[]) {
    for (const v of versions) {
      if (!UUID.test(v.id))
        throw new ConfigError(`schema version id of ${v.type} v${v.version} is not a UUID: ${v.id}`);
      if (this.byId.has(v.id)) throw new ConfigError(`schema version id ${v.id} is registered twice`);
      this.byKey.set(keyOf(v.type, v.version), v.id);
      this.byId.set(v.id.toLowerCase(), v);
    }
  }

  /** The registry's id of (type, version), or undefined when the registry has no such version. */
  idOf(type: string, version: number): string | undefined {
    return this.byKey.get(keyOf(type, version));
  }

  /** The (type, version) an id stands for, or undefined when the registry never issued it. */
  resolve(id: string): RegisteredVersion | undefined {
    return this.byId.get(id.trim().toLowerCase());
  }

  get size(): number {
    return this.byId.size;
  }

  toMap(): SchemaVersionIdMap {
    const out: Record<string, Record<string, string>> = {};
    for (const v of this.byId.values()) out[v.type] = { ...out[v.type], [String(v.version)]: v.id };
    return out;
  }

  static fromMap(map: SchemaVersionIdMap): SchemaVersionIds {
    const versions: RegisteredVersion[] = [];
    for (const [type, byVersion] of Object.entries(map)) {
      if (typeof byVersion !== 'object' || byVersion === null) {
        throw new ConfigError(`${SCHEMA_VERSION_IDS_ENV}: ${type} must map versions to ids`);
      }
      for (const [version, id] of Object.entries(byVersion)) {
        const n = Number(version);
        if (!Number.isInteger(n) || n < 1 || typeof id !== 'string') {
          throw new ConfigError(`${SCHEMA_VERSION_IDS_ENV}: ${type} version ${version} → ${JSON.stringify(id)}`);
        }
        versions.push({ type, version: n, id });
      }
    }
    return new SchemaVersionIds(versions);
  }
}

const keyOf = (type: string, version: number) => `${type}\u0000${version}`;

/** The registry's ids from SCHEMA_VERSION_IDS; a missing or unreadable variable fails the cold start. */
export function schemaVersionIdsFromEnv(env: NodeJS.ProcessEnv = process.env): SchemaVersionIds {
  const raw = env[SCHEMA_VERSION_IDS_ENV]?.trim();
  if (!raw) {
    throw new ConfigError(
      `Missing required environment variable ${SCHEMA_VERSION_IDS_ENV} (the schema registry's version ids; ` +
        'set by the CDK from the Glue schema versions, locally by the runner from the registry twin).',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`${SCHEMA_VERSION_IDS_ENV} is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${SCHEMA_VERSION_IDS_ENV} must be a JSON object {type: {version: id}}`);
  }
  const ids = SchemaVersionIds.fromMap(parsed as SchemaVersionIdMap);
  if (ids.size === 0) throw new ConfigError(`${SCHEMA_VERSION_IDS_ENV} registers no schema version`);
  return ids;
}

let fromEnv: SchemaVersionIds | undefined;
/** One parse per execution environment. */
export function registeredSchemaVersions(): SchemaVersionIds {
  fromEnv ??= schemaVersionIdsFromEnv();
  return fromEnv;
}
