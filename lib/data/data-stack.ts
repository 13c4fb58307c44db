/** State: the topology's DynamoDB tables and the inventory seed. */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config';
import type { TableId } from '../topology';
import { CatalogSeed } from './catalog-seed';
import { PipelineTables } from './pipeline-tables';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

export class DataStack extends Stack {
  readonly tables: ReadonlyMap<TableId, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    // Sandbox default: `cdk destroy` removes the data too; -c retainData=true keeps the tables.
    const removalPolicy = props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const pipelineTables = new PipelineTables(this, 'Tables', { removalPolicy });
    this.tables = pipelineTables.tables;
    new CatalogSeed(this, 'InventoryCatalog', {
      table: pipelineTables.table('inventory'),
      logRetentionDays: props.config.logRetentionDays,
      removalPolicy,
    });
  }
}
