/**
 * Names of the pipeline's own EMF metrics (namespace: the deployment prefix, POWERTOOLS_METRICS_NAMESPACE;
 * dimension `service`: the function's topology id). The functions emit them, lib/monitoring graphs and
 * alarms on them, the local dashboard parses them: one list, so a rename cannot silently empty a widget.
 * Constants only: imported by the CDK app too.
 */

/** Per-record outcomes every record processor (relay, consumers) emits once per batch. */
export const ConsumerMetric = {
  processed: 'RecordsProcessed',
  duplicates: 'DuplicatesSkipped',
  ignored: 'RecordsIgnored',
  deadLettered: 'RecordsDeadLettered',
  retried: 'RecordsFailedTransiently',
  /** Orders ended (rejected, declined) because the reaction to their event could not be built. */
  ordersEnded: 'OrdersEndedOnError',
} as const;

/** The saga's business metrics. */
export const BusinessMetric = {
  /** order-api: an order accepted (idempotent replays excluded). */
  created: 'OrdersCreated',
  /** order-view: an order reached this final status (once per order). */
  confirmed: 'OrdersConfirmed',
  rejected: 'OrdersRejected',
  cancelled: 'OrdersCancelled',
  expired: 'OrdersExpired',
  /** order-view: milliseconds from the order's creation to the event that made it final. */
  sagaDuration: 'SagaDuration',
  /** outbox-relay: events published to Kafka. */
  eventsPublished: 'EventsPublished',
} as const;
