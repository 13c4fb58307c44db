/**
 * A steady load of orders against a pipeline's API: `rate` orders per second for `durationMs`, a mix of
 * outcomes (mostly confirmed; some out of stock, some declined). Returns the accepted orders (202) and
 * the POST latencies; rejected POSTs (e.g. 5xx while DynamoDB is throttled) are counted, not retried —
 * an order is only the pipeline's responsibility once accepted.
 */
import type { AcceptedOrder } from './books';
import { postOrder } from './pipeline-client';

export interface LoadResult {
  readonly accepted: AcceptedOrder[];
  readonly refused: number;
  /** Time each accepted POST was sent (ms since epoch), by order id. */
  readonly sentAt: Map<string, number>;
}

export interface LoadOptions {
  readonly rate: number;
  readonly durationMs: number;
  /** Share of orders for a sold-out SKU (→ REJECTED) and for a blocked customer (→ CANCELLED). */
  readonly rejectedShare?: number;
  readonly cancelledShare?: number;
  readonly onProgress?: (sent: number, accepted: number) => void;
  /** Filled as orders are accepted (order id → time sent), for a watcher running during the load. */
  readonly sentAt?: Map<string, number>;
}

function orderFor(n: number, o: Pick<LoadOptions, 'rejectedShare' | 'cancelledShare'>) {
  const bulk = `SKU-BULK-${String(n % 100).padStart(3, '0')}`;
  const r = (n * 7919) % 100;
  const rejected = r < (o.rejectedShare ?? 0) * 100;
  const cancelled = !rejected && r < ((o.rejectedShare ?? 0) + (o.cancelledShare ?? 0)) * 100;
  return {
    customerId: cancelled ? `blocked-load-${n % 10}` : `cust-load-${n % 50}`,
    items: [
      { sku: bulk, quantity: 1 + (n % 3), unitPrice: 1500 },
      ...(rejected ? [{ sku: 'SKU-SOLDOUT', quantity: 1, unitPrice: 100 }] : []),
    ],
  };
}

export async function runLoad(apiUrl: string, options: LoadOptions): Promise<LoadResult> {
  const accepted: AcceptedOrder[] = [];
  const sentAt = options.sentAt ?? new Map<string, number>();
  let refused = 0;
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / options.rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const order = orderFor(n, options);
    const t = Date.now();
    inFlight.push(
      postOrder(apiUrl, order)
        .then((res) => {
          if (res.status !== 202) {
            refused++;
            return;
          }
          const orderId = String(res.body.orderId);
          sentAt.set(orderId, t);
          accepted.push({ orderId, customerId: order.customerId, items: order.items });
        })
        .catch(() => {
          refused++;
        }),
    );
    if (n % Math.max(1, Math.round(options.rate)) === 0) options.onProgress?.(n, accepted.length);
  }
  await Promise.all(inFlight);
  return { accepted, refused, sentAt };
}
