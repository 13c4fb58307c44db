/**
 * One reconciler run: read the open orders old enough to matter from the sparse index, decide per
 * order (decide.ts) on a consistent read of its item, act (actions.ts), and report what was done plus
 * the age of the oldest open order (the OldestOpenOrderAgeSeconds gauge).
 */

import { isNotified } from '../order-view/status';
import { type ActionOutcome, expire, type ReconcilerDeps, redrive, unmark } from './actions';
import { decide, isIdle } from './decide';
import { compensationState, oldestOpenOrderCreatedAt, openOrdersCreatedBefore, outboxEvents, readOrder } from './store';

/** Reservation and payment statuses that hold nothing (functions/inventory/expire.ts, payment/void-payment.ts). */
const RESERVATION_LET_GO = new Set(['EXPIRED', 'RELEASED', 'REJECTED']);
const PAYMENT_LET_GO = new Set(['EXPIRED', 'VOIDED', 'DECLINED']);

export interface RunSummary {
  readonly examined: number;
  readonly redriven: string[];
  readonly expired: string[];
  /** EXPIRED orders whose compensations are done: they left the open-orders index. */
  readonly settled: string[];
  /** Final orders whose NotificationSent never arrived within the expiry deadline: no longer re-driven. */
  readonly unnotified: string[];
  /** Actions skipped because the order moved meanwhile (retried next run). */
  readonly raced: number;
  readonly oldestOpenOrderAgeSeconds: number;
}

export interface RunOptions {
  readonly now?: Date;
  /** Orders examined per run at most (the rest waits for the next run). */
  readonly maxOrders?: number;
  /** Orders handled at once. */
  readonly concurrency?: number;
  /** Stop starting new orders once this returns true (the invocation's time is running out). */
  readonly outOfTime?: () => boolean;
}

export async function reconcile(deps: ReconcilerDeps, options: RunOptions = {}): Promise<RunSummary> {
  const now = options.now ?? new Date();
  const summary = {
    examined: 0,
    redriven: [] as string[],
    expired: [] as string[],
    settled: [] as string[],
    unnotified: [] as string[],
    raced: 0,
  };
  // An order younger than the re-drive deadline can need nothing: neither re-drive nor expiry.
  const cutoff = new Date(now.getTime() - deps.deadlines.redriveAfterSeconds * 1000);
  const candidates = await openOrdersCreatedBefore(deps.ordersTable, cutoff, options.maxOrders ?? 200);
  const queue = [...candidates];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (options.outOfTime?.()) return;
      summary.examined++;
      const outcome = await handleOrder(deps, next.orderId, now);
      if (outcome === 'raced') summary.raced++;
      else if (outcome) summary[outcome].push(next.orderId);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const oldest = await oldestOpenOrderCreatedAt(deps.ordersTable);
  const age = oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(oldest)) / 1000)) : 0;
  return { ...summary, oldestOpenOrderAgeSeconds: age };
}

type OrderOutcome = 'redriven' | 'expired' | 'settled' | 'unnotified' | 'raced' | undefined;

async function handleOrder(deps: ReconcilerDeps, orderId: string, now: Date): Promise<OrderOutcome> {
  const order = await readOrder(deps.ordersTable, orderId);
  if (!order?.openShard) return undefined; // the index lags the table: already closed
  const decision = decide({ ...order, notified: isNotified(order) }, now, deps.deadlines);
  const named = (outcome: ActionOutcome, done: Exclude<OrderOutcome, 'raced' | undefined>): OrderOutcome =>
    outcome === 'done' ? done : 'raced';
  switch (decision) {
    case 'wait':
      return undefined;
    case 'unmark':
      return (await unmark(deps, order)) === 'done' ? undefined : 'raced';
    case 'give-up-notifying':
      return named(await unmark(deps, order), 'unnotified');
    case 'redrive':
      return named(await redrive(deps, order, await outboxEvents(deps.ordersTable, orderId), now), 'redriven');
    case 'expire':
      return named(await expire(deps, order, await outboxEvents(deps.ordersTable, orderId), now), 'expired');
    case 'settle': {
      const held = await compensationState(deps, orderId);
      const letGo =
        held.reservation !== undefined &&
        RESERVATION_LET_GO.has(held.reservation) &&
        held.payment !== undefined &&
        PAYMENT_LET_GO.has(held.payment);
      if (letGo) return named(await unmark(deps, order), 'settled');
      // Inventory or payment has not handled OrderExpired yet (not published, or their batch was
      // dead-lettered): publish the order's events again, at most once per re-drive deadline.
      if (!isIdle(order, now, deps.deadlines)) return undefined;
      return named(await redrive(deps, order, await outboxEvents(deps.ordersTable, orderId), now), 'redriven');
    }
  }
}
