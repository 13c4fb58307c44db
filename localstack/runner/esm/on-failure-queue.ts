/** Delivery to a mapping's on-failure destination (an SQS queue here) once a batch's retries are exhausted. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KafkaFailureRecord, StreamFailureRecord } from './failure-record';
import type { EsmRecord, Exhaustion } from './types';

export interface OnFailureQueue {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The mapping's id, for the log line. */
  readonly mappingId: string;
  readonly log?: (line: string) => void;
}

/** Sends the failure record describing `exhaustion` to the queue, and logs one line about it. */
export async function sendToOnFailureQueue(
  queue: OnFailureQueue,
  record: KafkaFailureRecord | StreamFailureRecord,
  exhaustion: Exhaustion<EsmRecord>,
): Promise<void> {
  await queue.sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: JSON.stringify(record) }));
  queue.log?.(
    `${queue.mappingId}: ${exhaustion.records.length} record(s) sent to the on-failure queue after ${exhaustion.approximateInvokeCount} invocations`,
  );
}
