/**
 * AWS SDK clients, created once per execution environment and reused across invocations.
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SQS...), so the same code talks to AWS, DynamoDB Local/ElasticMQ or LocalStack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';

let ddb: DynamoDBClient | undefined;
let sqs: Promise<SQSClient> | undefined;

export const dynamoDb = (): DynamoDBClient => {
  ddb ??= new DynamoDBClient({ maxAttempts: 5 });
  return ddb;
};

/**
 * Loaded on first use: in the functions only the dead-letter path talks to SQS, so a cold start does not
 * pay for loading the SQS client (about 10 ms here, loaded after the DynamoDB client) on the happy path.
 */
export const sqsClient = (): Promise<SQSClient> => {
  sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient({}));
  return sqs;
};
