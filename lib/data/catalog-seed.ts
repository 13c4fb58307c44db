/**
 * Loads functions/inventory/catalog.json into the inventory table when the stack is created, as the
 * local provisioner does (same validation and item shape: functions/inventory/catalog.ts). A Lambda-backed
 * custom resource (functions/catalog-seed/handler.ts) rather than an AwsCustomResource BatchWriteItem call:
 * BatchWriteItem may leave items unprocessed and still succeed, and only code can retry them (with
 * backoff, failing the deploy after a bound: functions/catalog-seed/write-items.ts).
 * Create only: a stack update never resets stock that orders have already reserved. A catalog edited
 * later is applied by recreating the stack (or by hand); see README "Deploy to a sandbox".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { esbuildBundling, REPO_ROOT, RUNTIME } from '../services/pipeline-function';

export const SEED_RESOURCE_TYPE = 'Custom::CatalogSeed';
const CATALOG_PATH = join(REPO_ROOT, 'functions', 'inventory', 'catalog.json');

export interface CatalogSeedProps {
  readonly table: dynamodb.ITable;
  readonly logRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
}

export class CatalogSeed extends Construct {
  readonly function: NodejsFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CatalogSeedProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: props.removalPolicy,
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, 'functions', 'catalog-seed', 'handler.ts'),
      handler: 'handler',
      description: 'Seeds the inventory table from functions/inventory/catalog.json on stack create',
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Retries are bounded well inside this (write-items.ts DEFAULT_RETRY: ~25 s of backoff per batch).
      timeout: Duration.minutes(5),
      logGroup,
      ...esbuildBundling({ sourceMap: false }),
    });
    // Its only call: BatchWriteItem (PutRequests) on this table.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:BatchWriteItem'], resources: [props.table.tableArn] }),
    );
    this.resource = new CustomResource(this, 'Seed', {
      serviceToken: this.function.functionArn,
      resourceType: SEED_RESOURCE_TYPE,
      properties: {
        TableName: props.table.tableName,
        // Visible in the template (and the stack's drift view): which catalog was loaded.
        CatalogSha256: createHash('sha256').update(readFileSync(CATALOG_PATH)).digest('hex'),
      },
    });
  }
}
