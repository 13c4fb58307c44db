/**
 * Loads functions/inventory/catalog.json into the inventory table when the stack is created, as the
 * local provisioner does (same validation and item shape: functions/inventory/catalog.ts).
 * BatchWriteItem in chunks of 25 through AwsCustomResource, on create only: a stack update never
 * resets stock that orders have already reserved. A catalog edited later is applied by recreating the
 * stack (or by hand); see README "Deploy to a sandbox".
 */

import { marshall } from '@aws-sdk/util-dynamodb';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { parseCatalog, stockItem } from '../../functions/inventory/catalog';
import catalog from '../../functions/inventory/catalog.json';

/** DynamoDB BatchWriteItem's limit. */
export const BATCH_SIZE = 25;

export interface CatalogSeedProps {
  readonly table: dynamodb.ITable;
}

export class CatalogSeed extends Construct {
  readonly batches: readonly AwsCustomResource[];

  constructor(scope: Construct, id: string, props: CatalogSeedProps) {
    super(scope, id);
    const items = parseCatalog(catalog);

    const batches: AwsCustomResource[] = [];
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      const chunk = items.slice(start, start + BATCH_SIZE);
      const index = start / BATCH_SIZE;
      batches.push(
        new AwsCustomResource(this, `Batch${index}`, {
          onCreate: {
            service: 'DynamoDB',
            action: 'BatchWriteItem',
            parameters: {
              RequestItems: {
                [props.table.tableName]: chunk.map((item) => ({ PutRequest: { Item: marshall(stockItem(item)) } })),
              },
            },
            physicalResourceId: PhysicalResourceId.of(`catalog-seed-${index}`),
          },
          policy: AwsCustomResourcePolicy.fromStatements([
            new iam.PolicyStatement({ actions: ['dynamodb:BatchWriteItem'], resources: [props.table.tableArn] }),
          ]),
          installLatestAwsSdk: false,
        }),
      );
    }
    this.batches = batches;
  }
}
