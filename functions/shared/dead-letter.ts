/**
 * Sends a record that can never be processed to the function's DLQ (env DLQ_URL) with everything needed
 * to understand and redrive it: the reason, the source coordinates and the original record.
 */
import { sqsClient } from './aws-clients';

export interface DeadLetter {
  readonly reason: string;
  readonly errorName: string;
  readonly errorMessage: string;
  readonly functionName: string;
  readonly source: Readonly<Record<string, string | number | undefined>>;
  /** The original record as delivered (for Kafka: base64 key/value and byte-array headers). */
  readonly record: unknown;
  readonly details?: unknown;
}

/** SQS message body limit is 256 KiB; a huge record is kept by reference (its coordinates) only. */
const MAX_BODY_BYTES = 250 * 1024;

export function deadLetterBody(letter: DeadLetter, failedAt = new Date()): string {
  const body = JSON.stringify({ ...letter, failedAt: failedAt.toISOString() });
  if (Buffer.byteLength(body) <= MAX_BODY_BYTES) return body;
  return JSON.stringify({
    ...letter,
    record: { omitted: `record too large for SQS (${Buffer.byteLength(body)} bytes); read it back from its source` },
    details: undefined,
    failedAt: failedAt.toISOString(),
  });
}

export async function sendDeadLetter(queueUrl: string, letter: DeadLetter): Promise<void> {
  const [client, { SendMessageCommand }] = await Promise.all([sqsClient(), import('@aws-sdk/client-sqs')]);
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: deadLetterBody(letter),
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: letter.reason },
        functionName: { DataType: 'String', StringValue: letter.functionName },
      },
    }),
  );
}
