/**
 * The AWS Glue Schema Registry holding every event schema of the catalog (schemas/index.ts): one
 * Glue schema per event type, its versions in catalog order (v1 as the schema's first definition,
 * later versions as AWS::Glue::SchemaVersion, each depending on the previous so Glue checks them in
 * order), compatibility from the schemas' `x-compatibility`. Definitions are the draft-07 bundles of
 * glue-schema-definition.ts.
 */
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { type EventSchemaEntry, eventSchemas, sharedSchemas } from '../../schemas/index';
import type { EventType } from '../topology';
import { glueSchemaDefinition } from './glue-schema-definition';

export interface SchemaRegistryProps {
  readonly registryName: string;
  /** Defaults to the whole catalog. */
  readonly schemas?: readonly EventSchemaEntry[];
}

export class SchemaRegistry extends Construct {
  readonly registry: glue.CfnRegistry;
  readonly schemas: ReadonlyMap<EventType, glue.CfnSchema>;
  /**
   * The registry's id of every version, {type: {version: id}} (the functions' SCHEMA_VERSION_IDS): v1 is
   * the schema's `InitialSchemaVersionId`, a later version its AWS::Glue::SchemaVersion's `VersionId`.
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-schema.html#aws-resource-glue-schema-return-values
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-schemaversion.html#aws-resource-glue-schemaversion-return-values
   */
  readonly versionIds: Readonly<Record<string, Readonly<Record<string, string>>>>;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-_$#.]{1,255}$/.test(props.registryName)) {
      throw new Error(`SchemaRegistry: invalid registry name ${JSON.stringify(props.registryName)}`);
    }
    const entries = props.schemas ?? eventSchemas;
    if (entries.length === 0) throw new Error('SchemaRegistry: no event schemas to register');

    this.registry = new glue.CfnRegistry(this, 'Registry', {
      name: props.registryName,
      description: 'Event schemas of the order saga (JSON Schema, from schemas/ in the repository)',
    });

    const byType = new Map<EventType, EventSchemaEntry[]>();
    for (const e of entries) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);

    const schemas = new Map<EventType, glue.CfnSchema>();
    const versionIds: Record<string, Record<string, string>> = {};
    for (const [type, versions] of byType) {
      const ordered = [...versions].sort((a, b) => a.version - b.version);
      const [first, ...later] = ordered as [EventSchemaEntry, ...EventSchemaEntry[]];
      const schema = new glue.CfnSchema(this, type, {
        name: type,
        registry: { arn: this.registry.attrArn },
        dataFormat: 'JSON',
        compatibility: compatibilityOf(type, ordered),
        description: `${type} events (versions ${ordered.map((v) => v.version).join(', ')})`,
        schemaDefinition: definitionOf(first),
      });
      versionIds[type] = { [String(first.version)]: schema.attrInitialSchemaVersionId };
      let previous: glue.CfnSchema | glue.CfnSchemaVersion = schema;
      for (const entry of later) {
        const version: glue.CfnSchemaVersion = new glue.CfnSchemaVersion(this, `${type}V${entry.version}`, {
          schema: { schemaArn: schema.attrArn },
          schemaDefinition: definitionOf(entry),
        });
        // The first later version already waits for the schema through its ARN; the next ones wait for the previous version.
        if (previous !== schema) version.addResourceDependency(previous);
        previous = version;
        versionIds[type][String(entry.version)] = version.attrVersionId;
      }
      schemas.set(type, schema);
    }
    this.schemas = schemas;
    this.versionIds = versionIds;
  }
}

function definitionOf(entry: EventSchemaEntry): string {
  return JSON.stringify(glueSchemaDefinition(entry.schema, sharedSchemas));
}

/** Glue holds one compatibility mode per schema: all versions of a type must declare the same. */
function compatibilityOf(type: EventType, versions: readonly EventSchemaEntry[]): string {
  const modes = new Set(versions.map((v) => v.compatibility));
  if (modes.size !== 1) {
    throw new Error(`SchemaRegistry: versions of ${type} declare different x-compatibility (${[...modes].join(', ')})`);
  }
  return [...modes][0] as string;
}
