/**
 * The DynamoDB floor of the capacity benchmark: the exact DynamoDB calls the pipeline made for one order
 * (recorded by the counting proxies while one order went through an otherwise idle pipeline), replayed
 * for many orders straight to DynamoDB Local at high concurrency, with no Kafka, no twins and no SDK.
 * Each replayed order gets fresh ids (every UUID and every idempotency hash in the recorded bodies
 * is replaced consistently) and its own stock item, as the load spreads orders over 100 SKUs; its calls
 * run one after the other, as the saga's hops do.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { DynamoDbCall } from '../test/support/dynamodb-fault-proxy';

export type OrderCalls = readonly DynamoDbCall[];

/** UUIDs (order, event, payment ids) and Powertools idempotency hashes (an MD5 digest in base64). */
const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9+/]{22}==/g;
const SKU = /SKU-BULK-\d{3}/g;

/** The recorded calls with fresh ids for order number `n` (same id → same fresh id within the order). */
export function freshCopy(calls: OrderCalls, n: number): OrderCalls {
  const fresh = new Map<string, string>();
  const replace = (id: string) => {
    let next = fresh.get(id);
    if (!next) {
      next = id.endsWith('==') ? randomBytes(16).toString('base64') : randomUUID();
      fresh.set(id, next);
    }
    return next;
  };
  const sku = `SKU-BULK-${String(n % 100).padStart(3, '0')}`;
  return calls.map((c) => ({ operation: c.operation, body: c.body.replace(ID, replace).replace(SKU, sku) }));
}

export interface FloorResult {
  readonly orders: number;
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly callsPerOrder: number;
  /** Calls DynamoDB answered with an error (conditional failures included); the template has none. */
  readonly errors: number;
  /** Calls tried again after a 5xx, as the SDK would. */
  readonly retries: number;
  /** The first few errors, `<operation>: <error type>` (a non-zero count means the replay is not valid). */
  readonly firstErrors: string[];
}

/** Replays `orders` copies of the template with `concurrency` orders in flight. */
export async function replayFloor(
  endpoint: string,
  template: OrderCalls,
  orders: number,
  concurrency: number,
): Promise<FloorResult> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let errors = 0;
  const firstErrors: string[] = [];
  let retries = 0;
  const sendOnce = (call: DynamoDbCall) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${call.operation}`,
            // DynamoDB Local runs with -sharedDb: any credentials; the signature is not checked.
            authorization:
              'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 500, text }));
        },
      );
      req.on('error', reject);
      req.end(call.body);
    });
  // As the functions' SDK client does (maxAttempts 5): a 5xx (DynamoDB Local's transaction lock timeout)
  // is tried again after a short backoff; anything else that fails is an error of the replay.
  const send = async (call: DynamoDbCall) => {
    for (let attempt = 1; ; attempt++) {
      const { status, text } = await sendOnce(call);
      if (status < 400) return;
      if (status >= 500 && attempt < 5) {
        retries++;
        await new Promise((r) => setTimeout(r, 25 * attempt));
        continue;
      }
      errors++;
      if (firstErrors.length < 5) firstErrors.push(`${call.operation}: ${text.slice(0, 200)}`);
      return;
    }
  };
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < orders; n = next++) {
        for (const call of freshCopy(template, n)) await send(call);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return {
    orders,
    seconds: Number(seconds.toFixed(2)),
    ordersPerSecond: Number((orders / seconds).toFixed(1)),
    callsPerOrder: template.length,
    retries,
    errors,
    firstErrors,
  };
}
