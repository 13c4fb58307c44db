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

/** What a hop logs through: every line carries the hop's keys. */
export interface KeyedLogger {
  debug(message: string, extra?: Readonly<Record<string, unknown>>): void;
  info(message: string, extra?: Readonly<Record<string, unknown>>): void;
  warn(message: string, extra?: Readonly<Record<string, unknown>>): void;
  error(message: string, extra?: Readonly<Record<string, unknown>>): void;
}

/**
 * A logger putting `keys` on every line, through the one Logger: each line gets them as its extra keys
 * (the same top-level fields a child logger's persistent keys give, and as safe under concurrency). Not
 * a child logger per event: `createChild` builds a whole Logger (options, a new Console) for each record
 * and request, most of which log one line or none (bench/profile.bench.ts found it per record).
 */
export function keyedLogger(keys: Readonly<Record<string, string | undefined>>): KeyedLogger {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(keys)) if (value) fields[name] = value;
  return {
    debug: (message, extra) => logger.debug(message, { ...fields, ...extra }),
    info: (message, extra) => logger.info(message, { ...fields, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...fields, ...extra }),
    error: (message, extra) => logger.error(message, { ...fields, ...extra }),
  };
}

/** A logger carrying the event's correlation id on every line. */
export function loggerFor(keys: {
  correlationId?: string | undefined;
  eventId?: string | undefined;
  orderId?: string | undefined;
}): KeyedLogger {
  // Only these keys, even when handed a whole event: payloads stay out of every log line.
  return keyedLogger({ correlationId: keys.correlationId, eventId: keys.eventId, orderId: keys.orderId });
}
