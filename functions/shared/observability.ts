/**
 * The one Logger and Metrics instance per function (Powertools). Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set from the topology).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger();
export const metrics = new Metrics();

/** Metric names every consumer emits, so dashboards and alarms find them under one name. */
export { ConsumerMetric as MetricName } from './metric-names';
export { MetricUnit };

/** A logger carrying the event's correlation id on every line (child: safe under concurrency). */
export function loggerFor(keys: {
  correlationId?: string | undefined;
  eventId?: string | undefined;
  orderId?: string | undefined;
}): Logger {
  const persistentKeys: Record<string, string> = {};
  // Only these keys, even when handed a whole event: payloads stay out of every log line.
  for (const name of ['correlationId', 'eventId', 'orderId'] as const) {
    const value = keys[name];
    if (value) persistentKeys[name] = value;
  }
  return logger.createChild({ persistentKeys });
}
