/**
 * One dead letter per poison record. A poison record after a failed record of another key is redelivered
 * with every retry of its batch (the mapping retries from the earliest failed offset), and standard SQS
 * queues cannot deduplicate (only FIFO queues have MessageDeduplicationId:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html).
 * So each letter sent leaves a marker in the idempotency table, keyed by function and the record's
 * topic/partition/offset, and a record whose marker exists is not sent again.
 * Order: look → send → mark. A crash between send and mark can repeat one letter (at least once); the
 * other order (mark, then send) could lose it, which is worse.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from './aws-clients';

export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Markers outlive the DLQs' 14-day retention, after which a redelivery cannot happen anyway. */
const MARKER_TTL_SECONDS = 15 * 24 * 60 * 60;

/** The marker's id: beside Powertools' `<prefix>#<hash>` records, never equal to one. */
const deadLetterMarkerId = (functionName: string, r: RecordCoordinates): string =>
  `${functionName}#dead-letter#${r.topic}/${r.partition}/${r.offset}`;

/**
 * Runs `send` unless this function already dead-lettered the record; returns whether it sent. The
 * table is the idempotency table (`id` key, `expiration` TTL: lib/topology.ts).
 */
export async function deadLetterOnce(
  table: string,
  functionName: string,
  record: RecordCoordinates,
  send: () => Promise<void>,
): Promise<boolean> {
  const id = deadLetterMarkerId(functionName, record);
  const found = await dynamoDb().send(
    new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true, ProjectionExpression: 'id' }),
  );
  if (found.Item) return false;
  await send();
  await dynamoDb().send(
    new PutItemCommand({
      TableName: table,
      Item: marshall({
        id,
        entityType: 'DEAD_LETTER_MARKER',
        sentAt: new Date().toISOString(),
        expiration: Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS,
      }),
    }),
  );
  return true;
}
