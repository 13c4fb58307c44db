/**
 * The one Logger and Metrics instance per function (Powertools). Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set from the topology).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger();
export const metrics = new Metrics();
export { MetricUnit };

/** Metric names every consumer emits, so dashboards and alarms find them under one name. */
export const MetricName = {
  processed: 'RecordsProcessed',
  duplicates: 'DuplicatesSkipped',
  ignored: 'RecordsIgnored',
  deadLettered: 'RecordsDeadLettered',
  retried: 'RecordsFailedTransiently',
} as const;

/** A logger carrying the event's correlation id on every line (child: safe under concurrency). */
export function loggerFor(keys: { correlationId?: string; eventId?: string; orderId?: string }): Logger {
  const persistentKeys: Record<string, string> = {};
  for (const [k, v] of Object.entries(keys)) if (v) persistentKeys[k] = v;
  return logger.createChild({ persistentKeys });
}
