/**
 * Events and failure records as AWS documents them, for tests that compare the twins' output field by field.
 * MSK event: the example of the Lambda developer guide `with-msk` ("Example event").
 * Kafka failure record: the SQS/SNS record of the Lambda developer guide `kafka-on-failure` (as quoted in the
 * project's AWS behaviour reference). DynamoDB Streams: the example of `services-dynamodb-errors` / `with-ddb`.
 * Test data only: nothing in the runner reads this module.
 */

/** https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html, "Example event" (header "headerKey": "headerValue"). */
export const documentedMskEvent = {
  eventSource: 'aws:kafka',
  eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/vpc-2priv-2pub/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
  bootstrapServers:
    'b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092,b-1.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092',
  records: {
    'mytopic-0': [
      {
        topic: 'mytopic',
        partition: 0,
        offset: 15,
        timestamp: 1545084650987,
        timestampType: 'CREATE_TIME',
        key: 'abcDEFghiJKLmnoPQRstuVWXyz1234==',
        value: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        headers: [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }],
      },
    ],
  },
} as const;
export const documentedKafkaFailureRecord = {
  requestContext: {
    requestId: '…',
    functionArn: '…',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 11,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-01-01T00:00:00.000Z',
  KafkaBatchInfo: {
    batchSize: 1,
    eventSourceArn: '…',
    bootstrapServers: '…',
    payloadSize: 1234,
    recordsInfo: {
      'orders-0': {
        firstRecordOffset: '15',
        lastRecordOffset: '15',
        firstRecordTimestamp: '…',
        lastRecordTimestamp: '…',
      },
    },
  },
} as const;

export const documentedStreamFailureRecord = {
  requestContext: {
    requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
    functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 1,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2019-11-14T00:13:49.717Z',
  DDBStreamBatchInfo: {
    shardId: 'shardId-00000001573689847184-864758bb',
    startSequenceNumber: '800000000003126276362',
    endSequenceNumber: '800000000003126276362',
    approximateArrivalOfFirstRecord: '2019-11-14T00:13:19Z',
    approximateArrivalOfLastRecord: '2019-11-14T00:13:19Z',
    batchSize: 1,
    streamArn: 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388',
  },
} as const;

/**
 * Every leaf of a JSON value as `path: type`, e.g. `KafkaBatchInfo.batchSize: number`; map keys that are
 * data rather than field names (recordsInfo's "<topic>-<partition>") are written as `*`.
 */
export function shapeOf(value: unknown, path = '', dataKeys: readonly string[] = ['recordsInfo']): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`${path}: ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`];
  }
  const last = path.split('.').pop() ?? '';
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([k, v]) => shapeOf(v, path ? `${path}.${dataKeys.includes(last) ? '*' : k}` : k, dataKeys))
    .filter((line, i, all) => all.indexOf(line) === i)
    .sort();
}
