/**
 * Pure translations of the topology into the create requests the provisioner sends, so they can be
 * checked without servers: tables (keys, stream, GSIs, on-demand), topics (partitions, retention) and
 * queues (retention). The inventory seed items come from functions/inventory/catalog.ts.
 */
import type { AttributeDefinition, CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import type { ITopicConfig } from 'kafkajs';
import type { QueueSpec, TableSpec, TopicSpec } from '../../lib/topology';

export function createTableInput(spec: TableSpec, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, AttributeDefinition>();
  const keyAttrs = [
    spec.partitionKey,
    spec.sortKey,
    ...(spec.globalIndexes ?? []).flatMap((g) => [g.partitionKey, g.sortKey]),
  ];
  for (const a of keyAttrs) {
    if (!a) continue;
    const seen = attributes.get(a.name);
    if (seen && seen.AttributeType !== a.type) {
      throw new Error(`table ${spec.name}: attribute ${a.name} is declared both ${seen.AttributeType} and ${a.type}`);
    }
    attributes.set(a.name, { AttributeName: a.name, AttributeType: a.type });
  }
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
    ...(spec.globalIndexes?.length
      ? {
          GlobalSecondaryIndexes: spec.globalIndexes.map((g) => ({
            IndexName: g.name,
            KeySchema: keySchema(g.partitionKey, g.sortKey),
            Projection: g.projectedAttributes
              ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...g.projectedAttributes] }
              : { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

/**
 * Differences between an existing table and the topology, in words; empty when it fits. An existing
 * table that does not fit (left over from an older topology) is reported instead of silently used.
 */
export function tableMismatches(spec: TableSpec, table: TableDescription): string[] {
  const problems: string[] = [];
  const want = createTableInput(spec, table.TableName ?? spec.name);
  const keys = (k?: { AttributeName?: string; KeyType?: string }[]) =>
    (k ?? []).map((e) => `${e.AttributeName}:${e.KeyType}`).join(',');
  if (keys(table.KeySchema) !== keys(want.KeySchema)) {
    problems.push(`key schema is ${keys(table.KeySchema)}, topology says ${keys(want.KeySchema)}`);
  }
  const stream = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
  if (stream !== spec.stream) problems.push(`stream is ${stream ?? 'off'}, topology says ${spec.stream ?? 'off'}`);
  const indexes = (table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort();
  const wantIndexes = (spec.globalIndexes ?? []).map((g) => g.name).sort();
  if (indexes.join(',') !== wantIndexes.join(',')) {
    problems.push(`global indexes are [${indexes.join(', ')}], topology says [${wantIndexes.join(', ')}]`);
  }
  return problems;
}

export function topicConfig(spec: TopicSpec, topicName: string): ITopicConfig {
  return {
    topic: topicName,
    numPartitions: spec.partitions,
    // One local broker; MSK uses 2-3 replicas, which only changes durability, not behaviour.
    replicationFactor: 1,
    configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
  };
}

export const queueAttributes = (spec: QueueSpec): Record<string, string> => ({
  MessageRetentionPeriod: String(spec.retentionSeconds),
});
