/**
 * Waiting for thousands of orders to settle without thousands of pollers: rounds of GETs over the orders
 * not settled yet, a few at a time, until none is left or the deadline passes. Settled = final status and
 * the customer notification in the history (the saga's last step), as waitForFinal(settled) means it;
 * an EXPIRED order is settled as it is (nothing tells the customer of an expiry).
 */
import { isFinal, type OrderStatus } from '../../functions/order-view/status';
import { getOrder } from '../support/pipeline-client';

/** Resolves with the ids still not settled at the deadline (empty when all settled). */
export async function waitUntilSettled(
  apiUrl: string,
  orderIds: readonly string[],
  timeoutMs: number,
  concurrency = 8,
): Promise<string[]> {
  let pending = [...orderIds];
  const deadline = Date.now() + timeoutMs;
  while (pending.length > 0 && Date.now() < deadline) {
    const still: string[] = [];
    for (let i = 0; i < pending.length; i += concurrency) {
      const slice = pending.slice(i, i + concurrency);
      const views = await Promise.all(slice.map((id) => getOrder(apiUrl, id).catch(() => undefined)));
      views.forEach((view, j) => {
        const settled =
          view?.status === 'EXPIRED' ||
          (view && isFinal(view.status as OrderStatus) && view.history.some((h) => h.eventType === 'NotificationSent'));
        if (!settled) still.push(slice[j] as string);
      });
    }
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  return pending;
}
