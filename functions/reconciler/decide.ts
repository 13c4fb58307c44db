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
  /** NotificationSent is in the order's history (the saga's last step; order-view/status.ts isNotified). */
  readonly notified?: boolean;
}

export type Decision =
  /** Not final, open for the whole expiry deadline: end it (EXPIRED). */
  | 'expire'
  /** Not final, no progress and no re-drive for the re-drive deadline: re-publish its outbox events. */
  | 'redrive'
  /** EXPIRED: check that inventory and payment have let go; re-drive the expiry if not, after the deadline. */
  | 'settle'
  /** Final (CONFIRMED/REJECTED/CANCELLED), notified, but still marked open: only the marker is left to remove. */
  | 'unmark'
  /**
   * Final, yet the customer was never told within the expiry deadline, re-drives notwithstanding (the
   * notification is dead-lettered, say): stop re-driving, remove the marker, and say so (logged, counted).
   */
  | 'give-up-notifying'
  /** Progressing, or re-driven recently: nothing to do yet. */
  | 'wait';

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

export function decide(order: OpenOrderTimes, now: Date, deadlines: SagaDeadlines): Decision {
  if (order.status === 'EXPIRED') return 'settle';
  const final = isFinal(order.status);
  // A final order stays open only while its NotificationSent is missing (stranded): re-driven like any step.
  if (final && order.notified) return 'unmark';
  if (now.getTime() - ms(order.createdAt) >= deadlines.expireAfterSeconds * 1000) {
    return final ? 'give-up-notifying' : 'expire';
  }
  return isIdle(order, now, deadlines) ? 'redrive' : 'wait';
}

/** No progress and no re-drive for the re-drive deadline (an order's creation counts as progress). */
export function isIdle(order: OpenOrderTimes, now: Date, deadlines: SagaDeadlines): boolean {
  const lastActivity = Math.max(ms(order.createdAt), ms(order.lastProgressAt), ms(order.lastRedriveAt));
  return now.getTime() - lastActivity >= deadlines.redriveAfterSeconds * 1000;
}
