/**
 * What the reconciler does with one open order, from its status and times alone (pure, so every
 * branch is unit-tested). Deadlines: lib/topology.ts SagaDeadlines; rules: docs/design.md
 * "Deadlines and reconciliation".
 */
import type { SagaDeadlines } from '../../lib/topology';
import { isFinal, type OrderStatus } from '../order-view/status';

export interface OpenOrderTimes {
  readonly status: OrderStatus;
  readonly createdAt: string;
  /** Last event applied to the order (or its creation). */
  readonly lastProgressAt?: string;
  readonly lastRedriveAt?: string;
}

export type Decision =
  /** Not final, open for the whole expiry deadline: end it (EXPIRED). */
  | 'expire'
  /** Not final, no progress and no re-drive for the re-drive deadline: re-publish its outbox events. */
  | 'redrive'
  /** EXPIRED: check that inventory and payment have let go; re-drive the expiry if not, after the deadline. */
  | 'settle'
  /** Final (CONFIRMED/REJECTED/CANCELLED) but still marked open: only the marker is left to remove. */
  | 'unmark'
  /** Progressing, or re-driven recently: nothing to do yet. */
  | 'wait';

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

export function decide(order: OpenOrderTimes, now: Date, deadlines: SagaDeadlines): Decision {
  if (order.status === 'EXPIRED') return 'settle';
  if (isFinal(order.status)) return 'unmark';
  const t = now.getTime();
  if (t - ms(order.createdAt) >= deadlines.expireAfterSeconds * 1000) return 'expire';
  return isIdle(order, now, deadlines) ? 'redrive' : 'wait';
}

/** No progress and no re-drive for the re-drive deadline (an order's creation counts as progress). */
export function isIdle(order: OpenOrderTimes, now: Date, deadlines: SagaDeadlines): boolean {
  const lastActivity = Math.max(ms(order.createdAt), ms(order.lastProgressAt), ms(order.lastRedriveAt));
  return now.getTime() - lastActivity >= deadlines.redriveAfterSeconds * 1000;
}
