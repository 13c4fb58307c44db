/**
 * outbox-relay: the orders table's stream → Kafka. Publishes each new outbox item to its topic keyed by
 * order id (see relay.ts for ordering and partial batch responses, outbox-record.ts for what is relayed).
 * One publisher per execution environment, reused across invocations (MSK IAM limits new connections).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadConfig } from '../shared/config';
import { sendDeadLetter } from '../shared/dead-letter';
import { createKafkaPublisher, kafkaSettingsFromEnv } from '../shared/kafka-producer';
import { BusinessMetric } from '../shared/metric-names';
import { logger, MetricName, MetricUnit, metrics } from '../shared/observability';
import { registeredSchemaVersions } from '../shared/schema-ids';
import { markHops, tracedHandler } from '../shared/tracing';
import { type RelaySummary, relayBatch } from './relay';

const config = loadConfig({
  DLQ_URL: {},
  POWERTOOLS_SERVICE_NAME: { default: 'outbox-relay' },
});
const functionName = config.POWERTOOLS_SERVICE_NAME;
/** Exported so a test (or a local runner shutting down) can disconnect it; Lambda just freezes it. */
export const publisher = createKafkaPublisher(kafkaSettingsFromEnv(functionName));
const schemaVersionIds = registeredSchemaVersions();

/** Relay-specific metric; the others share names with the consumers (observability.ts MetricName). */
const PUBLISHED_METRIC = BusinessMetric.eventsPublished;
const MAX_LOGGED_CORRELATION_IDS = 50;

export const handler = tracedHandler(
  async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    logger.addContext(context);
    try {
      const { response, summary } = await relayBatch(event.Records ?? [], {
        publisher,
        sendDeadLetter: (letter) => sendDeadLetter(config.DLQ_URL, letter),
        functionName,
        schemaVersionIds,
      });
      record(summary);
      markHops((e) => `publish ${e.eventType}`, summary.publishedEvents);
      return response;
    } catch (err) {
      // Only a malformed batch (a record without a sequence number) gets here: fail it whole, Lambda retries.
      logger.error('outbox batch failed as a whole', { error: err as Error, records: event.Records?.length ?? 0 });
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  },
);

function record(summary: RelaySummary): void {
  metrics.addMetric(PUBLISHED_METRIC, MetricUnit.Count, summary.published);
  metrics.addMetric(MetricName.deadLettered, MetricUnit.Count, summary.deadLettered.length);
  metrics.addMetric(MetricName.retried, MetricUnit.Count, summary.failed);
  metrics.addMetric(MetricName.ignored, MetricUnit.Count, summary.ignored);

  const line = {
    records: summary.records,
    published: summary.published,
    ignored: summary.ignored,
    deadLettered: summary.deadLettered,
    failed: summary.failed,
    failure: summary.failure,
    correlationIds: summary.correlationIds.slice(0, MAX_LOGGED_CORRELATION_IDS),
  };
  // Per record, so a Logs Insights query by orderId finds the relay's hop (README "Follow one order").
  for (const e of summary.publishedEvents) {
    logger.info('event published', {
      orderId: e.orderId,
      correlationId: e.correlationId,
      eventId: e.eventId,
      type: e.eventType,
      topic: e.topic,
    });
  }
  if (summary.failure) logger.error('outbox batch relayed with failures (reported for retry)', line);
  else if (summary.deadLettered.length > 0) logger.warn('outbox batch relayed; corrupt items sent to DLQ', line);
  else logger.info('outbox batch relayed', line);
}
