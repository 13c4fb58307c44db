/**
 * Reading a running local pipeline's dead-letter queues and topics after a run, for the fault suite and
 * the soak tool: what each DLQ holds (without consuming it), and whether every order's events reached
 * each topic in causal order.
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import type { Pipeline } from '../../localstack/runner/pipeline';
import { readTopic, topicMessageCount } from './isolated-resources';

export type DeadLetterBody = Record<string, unknown>;

/** A queue's messages without consuming them (visibility timeout 0), each once. */
async function peekQueue(sqs: SQSClient, queueUrl: string): Promise<DeadLetterBody[]> {
  const out: DeadLetterBody[] = [];
  const seen = new Set<string>();
  for (let emptyReads = 0; emptyReads < 2; ) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    const fresh = (res.Messages ?? []).filter((m) => !seen.has(String(m.MessageId)));
    if (fresh.length === 0) emptyReads++;
    for (const m of fresh) {
      seen.add(String(m.MessageId));
      out.push(JSON.parse(String(m.Body)) as DeadLetterBody);
    }
  }
  return out;
}

/** Every DLQ's messages, by queue id. */
export async function deadLetters(sqs: SQSClient, pipeline: Pipeline): Promise<Record<QueueId, DeadLetterBody[]>> {
  const ids = Object.keys(queues) as QueueId[];
  const lists = await Promise.all(ids.map((q) => peekQueue(sqs, pipeline.names.queueUrl(q))));
  return Object.fromEntries(ids.map((q, i) => [q, lists[i] ?? []])) as Record<QueueId, DeadLetterBody[]>;
}

export const countLetters = (letters: Record<QueueId, DeadLetterBody[]>): number =>
  Object.values(letters).reduce((n, l) => n + l.length, 0);

/**
 * For the given orders: on every topic, the first copy of each event (a retried publish may repeat one)
 * must come in the order of its `sequence`, per key in offset order — what consumers of a partition see.
 * Returns the violations in words, and how many events were checked.
 */
export async function causalOrderViolations(
  pipeline: Pipeline,
  orderIds: ReadonlySet<string>,
): Promise<{ violations: string[]; checked: number }> {
  const violations: string[] = [];
  let checked = 0;
  for (const t of Object.keys(topics) as TopicId[]) {
    const name = pipeline.names.topic(t);
    const messages = await readTopic(name, await topicMessageCount(name), 60_000);
    const lastSequence = new Map<string, { sequence: number; type: string }>();
    const seen = new Set<string>();
    for (const m of [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      if (!m.key || !orderIds.has(m.key)) continue;
      const event = JSON.parse(m.value) as { eventId: string; type: string; sequence: number };
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      checked++;
      const last = lastSequence.get(m.key);
      if (last && event.sequence < last.sequence) {
        violations.push(
          `${t}: order ${m.key} got ${event.type} (#${event.sequence}) after ${last.type} (#${last.sequence})`,
        );
      }
      lastSequence.set(m.key, { sequence: event.sequence, type: event.type });
    }
  }
  return { violations, checked };
}
