/**
 * reconciler: run on a schedule (EventBridge rule in AWS, the runner's timer twin locally). Re-drives
 * orders that made no progress for the re-drive deadline and expires those open for the expiry
 * deadline (reconcile.ts), then publishes OrdersRedriven, OrdersExpired and the
 * OldestOpenOrderAgeSeconds gauge (EMF; lib/monitoring alarms on the last two).
 */
import type { Context } from 'aws-lambda';
import { resolveSagaDeadlines, SAGA_DEADLINE_ENV } from '../../lib/topology';
import { intFromEnv, loadConfig } from '../shared/config';
import { logger, MetricUnit, metrics } from '../shared/observability';
import { outboxDepsOf } from '../shared/outbox';
import { markHops, tracedHandler } from '../shared/tracing';
import { ReconcilerMetric } from './metrics';
import { type RunSummary, reconcile } from './reconcile';

const config = loadConfig({
  ORDERS_TABLE: {},
  INVENTORY_TABLE: {},
  PAYMENTS_TABLE: {},
  OUTBOX_TOPIC: {},
  POWERTOOLS_SERVICE_NAME: { default: 'reconciler' },
});
const deadlines = resolveSagaDeadlines(
  {
    redriveAfterSeconds: process.env[SAGA_DEADLINE_ENV.redriveAfterSeconds],
    expireAfterSeconds: process.env[SAGA_DEADLINE_ENV.expireAfterSeconds],
    reconcileEverySeconds: process.env[SAGA_DEADLINE_ENV.reconcileEverySeconds],
  },
  (key) => `environment variable ${SAGA_DEADLINE_ENV[key]}`,
);
const deps = {
  ...outboxDepsOf(config),
  inventoryTable: config.INVENTORY_TABLE,
  paymentsTable: config.PAYMENTS_TABLE,
  deadlines,
};
const maxOrders = intFromEnv('RECONCILER_MAX_ORDERS', 200, 1, 10_000);
/** Time kept back for finishing the orders in hand and publishing the metrics. */
const RESERVE_MS = 10_000;

export const handler = tracedHandler(async (_event: unknown, context: Context): Promise<RunSummary> => {
  logger.addContext(context);
  try {
    const summary = await reconcile(deps, {
      maxOrders,
      outOfTime: () => context.getRemainingTimeInMillis() < RESERVE_MS,
    });
    metrics.addMetric(ReconcilerMetric.redriven, MetricUnit.Count, summary.redriven.length);
    metrics.addMetric(ReconcilerMetric.expired, MetricUnit.Count, summary.expired.length);
    metrics.addMetric(ReconcilerMetric.unnotified, MetricUnit.Count, summary.unnotified.length);
    metrics.addMetric(ReconcilerMetric.oldestOpenAge, MetricUnit.Seconds, summary.oldestOpenOrderAgeSeconds);
    const line = { ...summary, deadlines };
    if (summary.unnotified.length > 0) logger.warn('final orders never notified: no longer re-driven', line);
    if (summary.expired.length > 0) logger.warn('orders expired', line);
    else if (summary.redriven.length > 0) logger.info('orders re-driven', line);
    else logger.debug('nothing to reconcile', line);
    // One traced hop and one log line per order acted on, so the order's X-Ray and Logs Insights queries
    // (README "Follow one order") find the reconciler too.
    const hops = [
      ...summary.redriven.map((orderId) => ({ orderId, eventType: 'OrderRedriven' })),
      ...summary.expired.map((orderId) => ({ orderId, eventType: 'OrderExpired' })),
    ];
    markHops((k) => `${k.eventType} ${k.orderId}`, hops);
    for (const hop of hops) logger.info('order reconciled', { orderId: hop.orderId, type: hop.eventType });
    return summary;
  } finally {
    metrics.publishStoredMetrics();
  }
});
