/**
 * Waiting for thousands of orders to settle without thousands of pollers: rounds of GETs over the orders
 * not settled yet, a few at a time, until none is left or the deadline passes. Settled as
 * waitForFinal(settled) means it (pipeline-client.ts isSettled).
 */
import { getOrder, isSettled } from '../support/pipeline-client';

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
        if (!view || !isSettled(view)) still.push(slice[j] as string);
      });
    }
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  return pending;
}
