/**
 * The saga's business outcome, emitted where it is decided: when order-view applies the event that makes
 * an order final, one count under that status and the saga's duration (order created → that event).
 * Idempotent processing applies each event once and only one event moves an order from open to final,
 * so each order is counted once.
 */
import { BusinessMetric } from '../shared/metric-names';
import { MetricUnit, metrics } from '../shared/observability';
import { isFinal, type OrderStatus } from './status';

const OUTCOME_METRIC: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: BusinessMetric.confirmed,
  REJECTED: BusinessMetric.rejected,
  CANCELLED: BusinessMetric.cancelled,
  EXPIRED: BusinessMetric.expired,
};

export interface SagaTransition {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  /** ISO time the order was created (order item's createdAt). */
  readonly createdAt: string | undefined;
  /** ISO time of the event that made it final. */
  readonly endedAt: string;
}

/** The metric and duration of a transition into a final status, or undefined for any other transition. */
export function sagaOutcome(t: SagaTransition): { metric: string; durationMs: number | undefined } | undefined {
  if (isFinal(t.from) || !isFinal(t.to)) return undefined;
  const metric = OUTCOME_METRIC[t.to];
  if (!metric) return undefined;
  const durationMs = t.createdAt ? Date.parse(t.endedAt) - Date.parse(t.createdAt) : Number.NaN;
  return { metric, durationMs: Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : undefined };
}

/** Adds the outcome to the batch's metrics (published by the consumer at the end of the batch). */
export function recordSagaOutcome(t: SagaTransition): void {
  const outcome = sagaOutcome(t);
  if (!outcome) return;
  metrics.addMetric(outcome.metric, MetricUnit.Count, 1);
  if (outcome.durationMs !== undefined) {
    metrics.addMetric(BusinessMetric.sagaDuration, MetricUnit.Milliseconds, outcome.durationMs);
  }
}
