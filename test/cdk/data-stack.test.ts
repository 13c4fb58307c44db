import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { stockItem } from '../../functions/inventory/catalog';
import catalog from '../../functions/inventory/catalog.json';
import { CONTEXT_KEYS } from '../../lib/config';
import { BATCH_SIZE } from '../../lib/data/catalog-seed';
import { type TableId, tables } from '../../lib/topology';
import { synthPipeline } from './support';

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
  const id = data.getLogicalId(data.tables.get(t)?.node.defaultChild as never);
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
  const inventoryRef = data.getLogicalId(data.tables.get('inventory')?.node.defaultChild as never);
  const seeds = Object.values(resources).filter((r) => r.Type === 'Custom::AWS');

  /** The SDK call of a seed resource: a JSON string with the table name spliced in by Fn::Join. */
  function callOf(create: unknown): SeedCall {
    const [, parts] = (create as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const text = parts
      .map((p) =>
        typeof p === 'string' ? p : (p as { Ref?: string }).Ref === inventoryRef ? 'INVENTORY_TABLE' : 'OTHER',
      )
      .join('');
    return JSON.parse(text) as SeedCall;
  }
  interface SeedCall {
    service: string;
    action: string;
    parameters: { RequestItems: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> };
  }
  const calls = seeds.map((s) => callOf(s.Properties.Create));

  it('writes every catalog SKU once into the inventory table, in batches DynamoDB accepts, on create only', () => {
    expect(seeds).toHaveLength(Math.ceil(catalog.items.length / BATCH_SIZE));
    for (const seed of seeds) expect(seed.Properties.Update).toBeUndefined();
    const written = calls.flatMap((call) => {
      expect(call).toMatchObject({ service: 'DynamoDB', action: 'BatchWriteItem' });
      expect(Object.keys(call.parameters.RequestItems)).toEqual(['INVENTORY_TABLE']);
      const puts = call.parameters.RequestItems.INVENTORY_TABLE ?? [];
      expect(puts.length).toBeGreaterThan(0);
      expect(puts.length).toBeLessThanOrEqual(BATCH_SIZE);
      return puts.map((p) => unmarshall(p.PutRequest.Item));
    });
    expect(written.map((i) => i.sku).sort()).toEqual(catalog.items.map((i) => i.sku).sort());
  });

  it('seeds items in the shape the local provisioner writes', () => {
    const written = calls.flatMap((c) =>
      (c.parameters.RequestItems.INVENTORY_TABLE ?? []).map((p) => unmarshall(p.PutRequest.Item)),
    );
    for (const item of catalog.items) {
      expect(written).toContainEqual(stockItem(item));
    }
  });
});
