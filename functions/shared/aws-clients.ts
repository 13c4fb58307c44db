/**
 * AWS SDK clients, created once per execution environment and reused across invocations.
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SQS...), so the same code talks to AWS, DynamoDB Local/ElasticMQ or LocalStack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

let ddb: DynamoDBClient | undefined;
let sqs: SQSClient | undefined;

export const dynamoDb = (): DynamoDBClient => {
  ddb ??= new DynamoDBClient({ maxAttempts: 5 });
  return ddb;
};

export const sqsClient = (): SQSClient => {
  sqs ??= new SQSClient({});
  return sqs;
};
