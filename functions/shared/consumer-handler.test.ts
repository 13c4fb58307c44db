/**
 * createConsumerHandler: the environment every consumer needs is checked at cold start, the record
 * concurrency is bounded, and the handler's log lines carry the Lambda context (the consumers had none).
 * The records here have no reaction (ignored), so nothing reaches DynamoDB or SQS.
 */

import { orderCreated } from '../../test/fixtures/order-events';
import { lambdaContext, mskEvent } from '../../test/support/aws-events';
import { schemaIdHeader, testSchemaIds } from '../../test/support/schema-ids';
import { ConfigError } from './config';
import { createConsumerHandler } from './consumer-handler';
import { SCHEMA_VERSION_IDS_ENV } from './schema-ids';

const CONFIG = { IDEMPOTENCY_TABLE: 'idem', DLQ_URL: 'http://sqs/q', MY_TABLE: 't' };
const ENV = { ...CONFIG, [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(testSchemaIds.toMap()) };
const spec = {
  functionId: 'inventory',
  variables: { MY_TABLE: {} },
  reactions: () => ({ reactions: { PaymentDeclined: async () => 'processed' as const } }),
};

describe('createConsumerHandler', () => {
  it("names every missing variable, the consumer's own and the common ones", () => {
    expect(() => createConsumerHandler(spec, { DLQ_URL: 'x' })).toThrow(ConfigError);
    expect(() => createConsumerHandler(spec, { DLQ_URL: 'x' })).toThrow(/MY_TABLE, IDEMPOTENCY_TABLE/);
  });

  it('refuses a RECORD_CONCURRENCY outside 1..256', () => {
    expect(() => createConsumerHandler(spec, { ...ENV, RECORD_CONCURRENCY: '0' })).toThrow(/RECORD_CONCURRENCY/);
    expect(() => createConsumerHandler(spec, { ...ENV, RECORD_CONCURRENCY: '257' })).toThrow(/RECORD_CONCURRENCY/);
  });

  it("hands the reactions the resolved configuration, the service name defaulting to the function's id", () => {
    let seen: object | undefined;
    const capture = (config: object) => {
      seen = { ...config };
      return { reactions: {} };
    };
    createConsumerHandler({ ...spec, reactions: capture }, ENV);
    expect(seen).toEqual({ ...CONFIG, POWERTOOLS_SERVICE_NAME: 'inventory' });
  });

  it('logs with the Lambda context of the invocation', async () => {
    const handler = createConsumerHandler(spec, ENV);
    const event = orderCreated([{ sku: 'SKU-A', quantity: 1, unitPrice: 500 }], 'cust-1', {
      orderId: '0190f0d2-7c4e-7a1b-8c3d-1234567890ab',
      correlationId: 'c-1',
    });
    const context = lambdaContext('inventory');
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const result = await handler(
        mskEvent([{ topic: 'orders', key: event.orderId, value: event, headers: schemaIdHeader(event) }]),
        context,
      );
      expect(result).toEqual({ batchItemFailures: [] });
    } finally {
      write.mockRestore();
    }
    const batchDone = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'batch done');
    expect(batchDone).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: 'inventory',
      ignored: 1,
    });
  });
});
