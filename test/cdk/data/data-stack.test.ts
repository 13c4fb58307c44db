/** CDK tests of lib/data/ (this folder mirrors it): the tables, their streams, TTL and indexes, and the catalog seed. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_KEYS } from '../../../lib/config';
import { SEED_RESOURCE_TYPE } from '../../../lib/data/catalog-seed';
import { REPO_ROOT } from '../../../lib/services/pipeline-function';
import { type TableId, tables } from '../../../lib/topology';
import { actionsOf, statementsOfRole, synthPipeline } from '../support';

const pipeline = synthPipeline();
const data = pipeline.stacks.data;
const template = pipeline.template(data);
interface CfnJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}
const resources = template.toJSON().Resources as Record<string, CfnJson>;
const tableResource = (t: TableId) => {
  const id = pipeline.logicalIds.table(t);
  const r = resources[id];
  if (!r) throw new Error(`no table ${t}`);
  return r;
};

describe('Data stack: tables from the topology', () => {
  it('creates exactly the topology tables', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
  });

  it.each(Object.keys(tables) as TableId[])('%s: keys, stream, TTL and indexes; on-demand, PITR, encrypted', (t) => {
    const spec = tables[t];
    const p = tableResource(t).Properties;
    const keySchema = [{ AttributeName: spec.partitionKey.name, KeyType: 'HASH' }];
    if (spec.sortKey) keySchema.push({ AttributeName: spec.sortKey.name, KeyType: 'RANGE' });
    expect(p.KeySchema).toEqual(keySchema);
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.StreamSpecification).toEqual(spec.stream ? { StreamViewType: spec.stream } : undefined);
    expect(p.TimeToLiveSpecification).toEqual(
      spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined,
    );
    const indexes = (p.GlobalSecondaryIndexes ?? []) as {
      IndexName: string;
      KeySchema: unknown[];
      Projection: unknown;
    }[];
    expect(indexes.map((i) => i.IndexName)).toEqual((spec.globalIndexes ?? []).map((g) => g.name));
    for (const gsi of spec.globalIndexes ?? []) {
      const index = indexes.find((i) => i.IndexName === gsi.name);
      expect(index?.KeySchema).toEqual([
        { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
        ...(gsi.sortKey ? [{ AttributeName: gsi.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect(index?.Projection).toEqual(
        gsi.projectedAttributes
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...gsi.projectedAttributes] }
          : { ProjectionType: 'ALL' },
      );
    }
  });

  it('deletes tables with the stack by default (sandbox) and keeps them with retainData=true', () => {
    for (const t of Object.keys(tables) as TableId[]) expect(tableResource(t).DeletionPolicy).toBe('Delete');
    const kept = synthPipeline({ [CONTEXT_KEYS.retainData]: 'true' });
    const keptTables = Object.values(kept.template(kept.stacks.data).findResources('AWS::DynamoDB::Table'));
    expect(keptTables.map((r) => r.DeletionPolicy)).toEqual(Object.keys(tables).map(() => 'Retain'));
  });
});

describe('Data stack: inventory catalog seed', () => {
  const inventoryRef = pipeline.logicalIds.table('inventory');
  const seeds = Object.entries(resources).filter(([, r]) => r.Type === SEED_RESOURCE_TYPE);

  it('is one custom resource backed by the seed function, naming the inventory table and the catalog', () => {
    expect(seeds).toHaveLength(1);
    const [, seed] = seeds[0] as [string, CfnJson];
    expect(seed.Properties.TableName).toEqual({ Ref: inventoryRef });
    expect(seed.Properties.CatalogSha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(REPO_ROOT, 'functions/inventory/catalog.json')))
        .digest('hex'),
    );
    const [fnId, attribute] = (seed.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    expect(attribute).toBe('Arn');
    expect(resources[fnId]?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    // No AwsCustomResource any more: it could not retry UnprocessedItems.
    expect(Object.values(resources).filter((r) => r.Type === 'Custom::AWS')).toHaveLength(0);
  });

  it('lets the seed function call BatchWriteItem on the inventory table and nothing else', () => {
    const [, seed] = seeds[0] as [string, CfnJson];
    const [fnId] = (seed.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    const role = resources[fnId]?.Properties.Role as { 'Fn::GetAtt': [string, string] } | undefined;
    const roleId = role?.['Fn::GetAtt'][0] ?? '';
    expect(roleId).not.toBe('');
    const statements = statementsOfRole(template, roleId);
    expect(statements.map((st) => [actionsOf(st), st.Resource])).toEqual([
      [['dynamodb:BatchWriteItem'], { 'Fn::GetAtt': [inventoryRef, 'Arn'] }],
    ]);
  });
});
