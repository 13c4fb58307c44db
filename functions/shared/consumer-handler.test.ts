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
import { catalogVersionsUpTo } from './readable-version';
import { SCHEMA_VERSION_IDS_ENV } from './schema-ids';

const CONFIG = { IDEMPOTENCY_TABLE: 'idem', DLQ_URL: 'http://sqs/q', MY_TABLE: 't' };
const ENV = { ...CONFIG, [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(testSchemaIds.toMap()) };
const spec = {
  functionId: 'inventory',
  variables: { MY_TABLE: {} },
  reactions: () => ({ reactions: { PaymentDeclined: async () => 'processed' as const } }),
};

const orderCreatedEvent = () => orderCreated([{ sku: 'SKU-A', quantity: 1, unitPrice: 500 }]);

/** The JSON log lines `run` writes to stdout (the functions' structured logs). */
async function captureStdout(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

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
    const event = orderCreatedEvent();
    const context = lambdaContext('inventory');
    const lines = await captureStdout(async () => {
      const result = await handler(
        mskEvent([{ topic: 'orders', key: event.orderId, value: event, headers: schemaIdHeader(event) }]),
        context,
      );
      expect(result).toEqual({ batchItemFailures: [] });
    });
    expect(lines.find((l) => l.message === 'batch done')).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: 'inventory',
      ignored: 1,
    });
  });

  it('skips, unchecked, a type it does not react to, even in a version its build cannot read', async () => {
    // Built before OrderCreated v2, reacting to PaymentDeclined only: an OrderCreated v2 is not its concern.
    // Checked first, it would be dead-lettered (UNKNOWN_VERSION), which needs SQS: the summary shows neither.
    const builtForV1 = createConsumerHandler(
      { ...spec, knownSchemaVersions: catalogVersionsUpTo({ OrderCreated: 1 }) },
      ENV,
    );
    const v2 = orderCreatedEvent();
    expect(v2.version).toBe(2);
    // A type no build knows is skipped too; `constructor` is no reaction even though every object has one.
    const records = [v2, { ...v2, type: 'OrderShipped' }, { ...v2, type: 'constructor' }].map((value) => ({
      topic: 'orders',
      key: v2.orderId,
      value,
      headers: schemaIdHeader(v2),
    }));
    const lines = await captureStdout(async () => {
      expect(await builtForV1(mskEvent(records), lambdaContext('inventory'))).toEqual({ batchItemFailures: [] });
    });
    expect(lines.find((l) => l.message === 'batch done')).toMatchObject({ ignored: 3, deadLettered: 0 });
  });
});
