/**
 * SCHEMA_VERSION_IDS in AWS: the ids of the deployed Glue schema versions, resolved by CloudFormation —
 * AWS::Glue::Schema's `InitialSchemaVersionId` for v1, AWS::Glue::SchemaVersion's `VersionId` for later
 * versions (return values:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-schema.html#aws-resource-glue-schema-return-values,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-schemaversion.html#aws-resource-glue-schemaversion-return-values)
 * — given to the relay and every Kafka consumer, and published as the streaming stack's output for the CLI.
 */
import { SCHEMA_VERSION_IDS_ENV } from '../../functions/shared/schema-ids';
import { OUTPUT_KEYS } from '../../lib/outputs';
import { type FunctionId, functions, usesSchemaRegistry } from '../../lib/topology';
import { eventSchemas } from '../../schemas/index';
import { resourcesOf, synthPipeline } from './support';

const pipeline = synthPipeline();
const streaming = pipeline.template(pipeline.stacks.streaming);
const services = pipeline.template(pipeline.stacks.services);

/** The GetAtts a JSON-ish CloudFormation value is built from, as "<logicalId>.<attribute>". */
function getAtts(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const att = (v as Record<string, unknown>)['Fn::GetAtt'];
      if (Array.isArray(att)) found.push(att.join('.'));
      else Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return found.sort();
}

describe('schema version ids from the deployed Glue schema versions', () => {
  const schemas = resourcesOf(streaming, 'AWS::Glue::Schema');
  const versions = resourcesOf(streaming, 'AWS::Glue::SchemaVersion');
  const expected = [
    ...Object.keys(schemas).map((id) => `${id}.InitialSchemaVersionId`),
    ...Object.keys(versions).map((id) => `${id}.VersionId`),
  ].sort();

  it('the streaming stack outputs one id per catalog version, each from its Glue resource', () => {
    expect(expected).toHaveLength(eventSchemas.length);
    const output = streaming.toJSON().Outputs[OUTPUT_KEYS.schemaVersionIds];
    expect(getAtts(output.Value)).toEqual(expected);
  });

  it('keys each id by type and version in the JSON the functions parse', () => {
    const [logicalId] = Object.entries(versions).find(([, v]) => JSON.stringify(v).includes('OrderCreated')) ?? [];
    const joined = JSON.stringify(streaming.toJSON().Outputs[OUTPUT_KEYS.schemaVersionIds].Value);
    // ..."OrderCreated":{"1":"<InitialSchemaVersionId>","2":"<VersionId of the v2 resource>"}...
    expect(joined).toMatch(/\\"OrderCreated\\":\{\\"1\\":\\"/);
    expect(joined).toContain(`"Fn::GetAtt":["${logicalId}","VersionId"]`);
  });

  it('gives SCHEMA_VERSION_IDS to the relay and every Kafka consumer, and to no other function', () => {
    const lambdas = resourcesOf(services, 'AWS::Lambda::Function');
    const withIds = Object.values(lambdas)
      .filter((f) => JSON.stringify(f.Properties.Environment ?? {}).includes(SCHEMA_VERSION_IDS_ENV))
      .map((f) =>
        String((f.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME),
      )
      .sort();
    const expectedFns = (Object.keys(functions) as FunctionId[]).filter(usesSchemaRegistry).sort();
    expect(expectedFns).toEqual(['inventory', 'notification', 'order-view', 'outbox-relay', 'payment']);
    expect(withIds).toEqual(expectedFns);
  });

  it('imports the ids from the streaming stack (one export per Glue attribute)', () => {
    const relay = Object.values(resourcesOf(services, 'AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f.Properties.Environment).includes('"outbox-relay"'),
    );
    if (!relay) throw new Error('no outbox-relay function');
    const env = relay.Properties.Environment as { Variables: Record<string, unknown> };
    const value = env.Variables[SCHEMA_VERSION_IDS_ENV];
    const imports = JSON.stringify(value).match(/Fn::ImportValue/g) ?? [];
    expect(imports).toHaveLength(eventSchemas.length);
  });
});
