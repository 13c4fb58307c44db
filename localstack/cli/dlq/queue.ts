/**
 * Looking at DLQ messages without consuming them. SQS has no "peek": a received message is hidden for its
 * visibility timeout. So messages are received with a short hold (which also pages through the queue, as
 * a held message is not returned twice) and made visible again at once with ChangeMessageVisibility 0.
 * Only a successful redrive deletes a message. The hold is a safety net: if the CLI dies, the messages
 * reappear by themselves when it runs out. (ApproximateReceiveCount grows; DLQs have no redrive policy.)
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface HeldMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly sentAt?: string;
  readonly receiveCount?: number;
}

export interface HoldOptions {
  /** Stop after this many messages. */
  readonly max: number;
  /** Seconds the messages stay hidden if they are not released (crash safety net). */
  readonly holdSeconds: number;
  readonly signal?: AbortSignal;
}

export async function holdMessages(sqs: SQSClient, url: string, o: HoldOptions): Promise<HeldMessage[]> {
  const held = new Map<string, HeldMessage>();
  while (held.size < o.max && !o.signal?.aborted) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, o.max - held.size),
        VisibilityTimeout: o.holdSeconds,
        // A 1 s long poll: returns at once when messages are there, and an empty answer really means empty
        // (a short poll in AWS samples only some servers).
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      if (!m.MessageId || !m.ReceiptHandle) continue;
      const sent = Number(m.Attributes?.SentTimestamp);
      const count = Number(m.Attributes?.ApproximateReceiveCount);
      held.set(m.MessageId, {
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body ?? '',
        ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
        ...(Number.isFinite(count) && count > 0 ? { receiveCount: count } : {}),
      });
    }
  }
  return [...held.values()];
}

/** Makes held messages visible again; returns the ids that could not be released (they reappear later). */
export async function releaseMessages(
  sqs: SQSClient,
  url: string,
  messages: readonly HeldMessage[],
): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    try {
      const out = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
      for (const f of out.Failed ?? []) failed.push(chunk[Number(f.Id)]?.messageId ?? `entry ${f.Id}`);
    } catch {
      failed.push(...chunk.map((m) => m.messageId));
    }
  }
  return failed;
}

/** Renews a held message's hold, so a long redrive never lets it reappear while it is being worked on. */
export async function extendHold(sqs: SQSClient, url: string, message: HeldMessage, seconds: number): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: url,
      ReceiptHandle: message.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}

export async function deleteMessage(sqs: SQSClient, url: string, message: HeldMessage): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receiptHandle }));
}

/** Visible + in-flight messages (approximate, as SQS reports them). */
export async function queueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}
