/**
 * The order read model's state machine. Events reach order-view from four topics, so they can arrive
 * out of order and more than once. Each event type maps to a status with a rank; the order's status is
 * the highest-ranked status among the events applied so far, and history is keyed by eventId. So the
 * same set of events gives the same view whatever their arrival order, and status never regresses.
 */
import type { EventType } from '../../lib/topology';

export type OrderStatus = 'PENDING' | 'RESERVED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLING' | 'CANCELLED' | 'EXPIRED';

export const FINAL_STATUSES: readonly OrderStatus[] = ['CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED'];

/** The status an event moves the order to, or null when it only adds history (notifications). */
const STATUS_OF: { readonly [T in EventType]: OrderStatus | null } = {
  OrderCreated: 'PENDING',
  InventoryReserved: 'RESERVED',
  InventoryRejected: 'REJECTED',
  PaymentAuthorized: 'CONFIRMED',
  PaymentDeclined: 'CANCELLING',
  InventoryReleased: 'CANCELLED',
  PaymentVoided: null,
  // Set by the reconciler at the expiry deadline; outranks every other status, so an event of the
  // happy path that arrives after the expiry (a late PaymentAuthorized) adds history but cannot revive it.
  OrderExpired: 'EXPIRED',
  NotificationSent: null,
};

const RANK: { readonly [S in OrderStatus]: number } = {
  PENDING: 0,
  RESERVED: 1,
  CANCELLING: 2,
  CONFIRMED: 3,
  REJECTED: 3,
  CANCELLED: 3,
  EXPIRED: 4,
};

/** A history step that is not an event: the reconciler re-published the order's outbox events. */
export const REDRIVE_STEP = 'OrderRedriven';
export type HistoryStepType = EventType | typeof REDRIVE_STEP;

export interface HistoryStep {
  /** The event's id; for a re-drive step, an id of its own. */
  readonly eventId: string;
  readonly eventType: HistoryStepType;
  readonly at: string;
  readonly sequence: number;
  readonly detail: string;
}

export interface OrderView {
  readonly status: OrderStatus;
  readonly history: readonly HistoryStep[];
}

export interface AppliedEvent {
  readonly eventId: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly sequence: number;
  readonly detail: string;
}

/** An order before its first event: what order-api applies OrderCreated to. */
export const NEW_ORDER_VIEW: OrderView = { status: 'PENDING', history: [] };

/** Applies one event; returns null when it was already applied (history already has its eventId). */
export function applyEvent(view: OrderView, event: AppliedEvent): OrderView | null {
  if (view.history.some((h) => h.eventId === event.eventId)) return null;
  const target = STATUS_OF[event.type];
  const status = target !== null && RANK[target] > RANK[view.status] ? target : view.status;
  const step: HistoryStep = {
    eventId: event.eventId,
    eventType: event.type,
    at: event.occurredAt,
    sequence: event.sequence,
    detail: event.detail,
  };
  // History reads in causal order (sequence, then time), not arrival order.
  const history = [...view.history, step].sort(byCausalOrder);
  return { status, history };
}

export const isFinal = (status: OrderStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * The saga's last step for an order its own events ended (CONFIRMED/REJECTED/CANCELLED): the customer
 * was told. The order stays in the open-orders index until then, so a NotificationSent stranded after
 * the status went final (a relay outage past its retries) is re-driven like any other stalled step.
 */
export const isNotified = (view: Pick<OrderView, 'history'>): boolean =>
  view.history.some((h) => h.eventType === 'NotificationSent');

/** Sorts steps in causal order (sequence, then time, then id), not arrival order. */
export const byCausalOrder = (a: HistoryStep, b: HistoryStep): number =>
  a.sequence - b.sequence || a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId);
