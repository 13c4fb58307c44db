/**
 * Talking to a running pipeline the way a user does: HTTP to its API, then reading the order until its
 * status is final. Used by the e2e, fault and benchmark suites.
 */
import { randomUUID } from 'node:crypto';
import { isFinal, type OrderStatus } from '../../functions/order-view/status';
import type { AcceptedOrder } from './books';
import { until } from './until';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface PostResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export async function postOrder(
  apiUrl: string,
  order: { customerId: string; currency?: string; items: readonly OrderLine[] },
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const res = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': randomUUID(), ...headers },
    body: JSON.stringify({ currency: 'EUR', ...order }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** POSTs an order and returns it as accepted (202), or throws with the API's answer. */
export async function placeOrder(
  apiUrl: string,
  customerId: string,
  items: readonly OrderLine[],
): Promise<AcceptedOrder> {
  const res = await postOrder(apiUrl, { customerId, items });
  if (res.status !== 202) throw new Error(`POST /orders answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { orderId: String(res.body.orderId), customerId, items };
}

export interface OrderView {
  readonly orderId: string;
  readonly status: string;
  readonly history: readonly { readonly eventType: string; readonly at: string; readonly detail: string }[];
}

/**
 * The saga is over for this order: final, and the customer notified (the last step), except for an
 * EXPIRED order, which has no notification step (nothing tells the customer of an expiry).
 */
export const isSettled = (view: OrderView): boolean =>
  view.status === 'EXPIRED' ||
  (isFinal(view.status as OrderStatus) && view.history.some((h) => h.eventType === 'NotificationSent'));

export async function getOrder(apiUrl: string, orderId: string): Promise<OrderView | undefined> {
  const res = await fetch(`${apiUrl}/orders/${orderId}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /orders/${orderId} answered ${res.status}`);
  return (await res.json()) as OrderView;
}

/**
 * Polls the order until its status is final — and, with `settled`, until the saga's last step (the
 * customer notification) is in its history too; throws with the last view after `timeoutMs`.
 */
export async function waitForFinal(
  apiUrl: string,
  orderId: string,
  timeoutMs = 60_000,
  settled = false,
): Promise<OrderView> {
  let last: OrderView | undefined;
  return until(
    () => `order ${orderId} to be final: ${JSON.stringify(last)}`,
    async () => {
      last = await getOrder(apiUrl, orderId);
      const done = last !== undefined && (settled ? isSettled(last) : isFinal(last.status as OrderStatus));
      return done ? last : undefined;
    },
    { timeoutMs },
  );
}
