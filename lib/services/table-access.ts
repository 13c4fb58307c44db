/**
 * DynamoDB permissions per function and table from the topology's access modes. Written out rather
 * than taken from Table.grant*: those add `<table>/index/*` to every grant, while here only readers
 * get indexes, and each by name. TransactWriteItems is authorised by the item actions it performs.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { TableSpec } from '../topology';

export type TableAccess = 'read' | 'write' | 'readwrite';

export const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];
export const WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

export function tableAccessStatements(tableArn: string, spec: TableSpec, access: TableAccess): iam.PolicyStatement[] {
  const reads = access === 'read' || access === 'readwrite';
  const writes = access === 'write' || access === 'readwrite';
  if (!reads && !writes) throw new Error(`tableAccessStatements: unknown access mode ${String(access)}`);
  const actions = [...new Set([...(reads ? READ_ACTIONS : []), ...(writes ? WRITE_ACTIONS : [])])].sort();
  const statements = [new iam.PolicyStatement({ actions, resources: [tableArn] })];
  const indexes = (spec.globalIndexes ?? []).map((gsi) => `${tableArn}/index/${gsi.name}`);
  if (reads && indexes.length > 0) {
    statements.push(new iam.PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:Scan'], resources: indexes }));
  }
  return statements;
}
