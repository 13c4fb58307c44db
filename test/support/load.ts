/**
 * A steady load of orders against a pipeline's API: `rate` orders per second for `durationMs`, a mix of
 * outcomes (mostly confirmed; some out of stock, some declined). Each order is posted the way the README
 * tells a client to: with an Idempotency-Key, and a POST that gets no definite answer (a 5xx, 409 or 429,
 * a dropped connection: the API may have committed the order before failing) is sent again with the same
 * key, so the client always learns the orderId of an order the pipeline took. Only a definite refusal
 * (another 4xx), or no answer after every attempt, counts as refused.
 */
import { randomUUID } from 'node:crypto';
import type { AcceptedOrder } from './books';
import { postOrder } from './pipeline-client';

/** Attempts per order and the first back-off (doubled per attempt: 0.25 + 0.5 + … ≈ 32 s in all). */
const ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 250;

export interface LoadResult {
  readonly accepted: AcceptedOrder[];
  readonly refused: number;
  /** Orders that needed more than one POST (same Idempotency-Key) before a definite answer. */
  readonly retried: number;
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
  let retried = 0;
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
      postUntilAnswered(apiUrl, order).then(({ res, attempts }) => {
        if (attempts > 1) retried++;
        if (res?.status !== 202) {
          refused++;
          return;
        }
        const orderId = String(res.body.orderId);
        sentAt.set(orderId, t);
        accepted.push({ orderId, customerId: order.customerId, items: order.items });
      }),
    );
    if (n % Math.max(1, Math.round(options.rate)) === 0) options.onProgress?.(n, accepted.length);
  }
  await Promise.all(inFlight);
  return { accepted, refused, retried, sentAt };
}

/** A status after which the order may or may not exist: ask again with the same key. */
const isUndecided = (status: number): boolean => status >= 500 || status === 409 || status === 429;

async function postUntilAnswered(apiUrl: string, order: ReturnType<typeof orderFor>) {
  const headers = { 'idempotency-key': randomUUID() };
  let res: Awaited<ReturnType<typeof postOrder>> | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    res = await postOrder(apiUrl, order, headers).catch(() => undefined);
    if (res && !isUndecided(res.status)) return { res, attempts: attempt };
    if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
  }
  return { res, attempts: ATTEMPTS };
}
