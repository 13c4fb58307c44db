/**
 * CloudFormation custom resource (Custom::CatalogSeed) that loads functions/inventory/catalog.json into the
 * inventory table on stack create, with the same validation and item shape as the local provisioner
 * (functions/inventory/catalog.ts), retrying UnprocessedItems (write-items.ts). Update and Delete write
 * nothing: a stack update never resets stock that orders have reserved, and the table goes with its stack.
 *
 * CloudFormation invokes the function and waits for the result at ResponseURL (a presigned S3 URL); the
 * handler always answers, FAILED with the reason on any error, so a bad seed fails the deploy at once
 * instead of after CloudFormation's one-hour wait.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { parseCatalog, stockItem } from '../inventory/catalog';
import catalogJson from '../inventory/catalog.json';
import { type WriteOptions, writeAllItems } from './write-items';

export const PHYSICAL_ID = 'inventory-catalog-seed';

export interface SeedDependencies {
  readonly client: DynamoDBClient;
  /** Delivers the response to CloudFormation (tests record it). */
  readonly respond: (url: string, body: CloudFormationCustomResourceResponse) => Promise<void>;
  readonly write?: WriteOptions;
}

async function putResponse(url: string, body: CloudFormationCustomResourceResponse): Promise<void> {
  const text = JSON.stringify(body);
  // The presigned URL is signed for an empty content type.
  const res = await fetch(url, {
    method: 'PUT',
    body: text,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(text)) },
  });
  if (!res.ok) throw new Error(`catalog seed: CloudFormation response rejected (${res.status})`);
}

export async function seed(event: CloudFormationCustomResourceEvent, deps: SeedDependencies): Promise<void> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  let response: CloudFormationCustomResourceResponse;
  try {
    let written = 0;
    if (event.RequestType === 'Create') {
      const tableName = event.ResourceProperties.TableName;
      if (typeof tableName !== 'string' || tableName === '')
        throw new Error('catalog seed: property TableName is required');
      const items = parseCatalog(catalogJson).map((c) => marshall(stockItem(c)));
      written = (await writeAllItems(deps.client, tableName, items, deps.write)).written;
      console.log(JSON.stringify({ message: 'catalog seeded', tableName, written }));
    }
    response = { ...base, Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { Written: written } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ message: 'catalog seed failed', reason }));
    const physical = event.RequestType === 'Create' ? PHYSICAL_ID : event.PhysicalResourceId;
    response = { ...base, Status: 'FAILED', Reason: reason.slice(0, 1000), PhysicalResourceId: physical };
  }
  await deps.respond(event.ResponseURL, response);
}

const client = new DynamoDBClient({});

export const handler = (event: CloudFormationCustomResourceEvent): Promise<void> =>
  seed(event, { client, respond: putResponse });
