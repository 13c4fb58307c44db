/**
 * What Glue checks when CloudFormation registers a schema version (AWS::Glue::SchemaVersion): the new
 * draft-07 definition against the previous one, in the mode the schema was created with. Glue rejects
 * an incompatible version and the stack rolls back, after MSK has been created; this runs the
 * project's checker (schemas/compatibility.ts, at least as strict as Glue's rules) on exactly those
 * definitions and that mode, offline. https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html
 */
import { Stack } from 'aws-cdk-lib';
import { glueSchemaDefinition } from '../../../lib/streaming/glue-schema-definition';
import { SchemaRegistry } from '../../../lib/streaming/schema-registry';
import { type CheckedMode, compatibilityIssues, SchemaResolver } from '../../../schemas/compatibility';
import { type EventSchemaEntry, eventSchemas, type JsonSchema, sharedSchemas } from '../../../schemas/index';

const registry = new SchemaRegistry(new Stack(), 'Registry', { registryName: 'test-registry' });

/** The definition Glue receives, given an `$id` so the checker can resolve its `#/definitions/...` refs. */
function registered(entry: EventSchemaEntry): JsonSchema {
  const id = `https://glue.invalid/${entry.type}/v${entry.version}.json`;
  return { ...glueSchemaDefinition(entry.schema, sharedSchemas), $id: id };
}

const pairs = eventSchemas.flatMap((newer) => {
  const older = eventSchemas.find((e) => e.type === newer.type && e.version === newer.version - 1);
  return older ? [[`${newer.type} v${older.version} → v${newer.version}`, older, newer] as const] : [];
});

it('the catalog has a version pair for Glue to check', () => {
  expect(pairs.map(([name]) => name)).toContain('OrderCreated v1 → v2');
});

describe.each(pairs)('%s as registered in Glue', (_, older, newer) => {
  const mode = registry.schemas.get(newer.type)?.compatibility as CheckedMode;
  const resolver = new SchemaResolver([registered(older), registered(newer)]);

  it('is registered with the mode the catalog declares', () => {
    expect(mode).toBe(newer.compatibility);
  });

  it('passes the compatibility check of that mode', () => {
    expect(compatibilityIssues(mode, registered(older), registered(newer), resolver)).toEqual([]);
  });
});

it('the check would have caught OrderCreated v2 with version const 2 (as Glue BACKWARD does)', () => {
  const [v1, v2] = eventSchemas.filter((e) => e.type === 'OrderCreated') as [EventSchemaEntry, EventSchemaEntry];
  const constTwo: EventSchemaEntry = {
    ...v2,
    schema: { ...v2.schema, properties: { ...(v2.schema.properties as object), version: { const: 2 } } },
  };
  const resolver = new SchemaResolver([registered(v1), registered(constTwo)]);
  expect(compatibilityIssues('BACKWARD', registered(v1), registered(constTwo), resolver)).toEqual([
    { path: '/version', problem: 'const/enum narrowed: 1 written but not allowed by the reader' },
  ]);
});
