/**
 * The DynamoDB tables of the topology: keys, stream, TTL and global indexes from lib/topology.ts;
 * on-demand billing and point-in-time recovery for all (PITR is billed per GB stored, which for a
 * sandbox is close to nothing, and it is what makes a mistaken `delete` recoverable).
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type AttributeSpec, type TableId, type TableSpec, tables } from '../topology';

export interface PipelineTablesProps {
  readonly removalPolicy: RemovalPolicy;
}

const attribute = (a: AttributeSpec): dynamodb.Attribute => ({
  name: a.name,
  type: a.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const streamView = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
} as const;

export class PipelineTables extends Construct {
  readonly tables: ReadonlyMap<TableId, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: PipelineTablesProps) {
    super(scope, id);
    const created = new Map<TableId, dynamodb.Table>();
    for (const [tableId, spec] of Object.entries(tables) as [TableId, TableSpec][]) {
      const table = new dynamodb.Table(this, tableId, {
        partitionKey: attribute(spec.partitionKey),
        ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        ...(spec.stream ? { stream: streamView[spec.stream] } : {}),
        ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        removalPolicy: props.removalPolicy,
      });
      for (const gsi of spec.globalIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.name,
          partitionKey: attribute(gsi.partitionKey),
          ...(gsi.sortKey ? { sortKey: attribute(gsi.sortKey) } : {}),
          ...(gsi.projectedAttributes
            ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...gsi.projectedAttributes] }
            : { projectionType: dynamodb.ProjectionType.ALL }),
        });
      }
      created.set(tableId, table);
    }
    this.tables = created;
  }

  table(id: TableId): dynamodb.Table {
    const table = this.tables.get(id);
    if (!table) throw new Error(`PipelineTables: no table ${id}`);
    return table;
  }
}
