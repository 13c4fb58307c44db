/**
 * `topic tail`: prints the records of a topic as decoded envelopes, one per line (or JSON). It reads with a
 * throwaway consumer group that commits nothing and is deleted on exit, so it never disturbs the
 * pipeline's consumer groups and every run starts where asked (latest, or --from-beginning).
 */
import { randomUUID } from 'node:crypto';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { boolOpt, type Command, integerValue, secondsValue, stringOpt } from '../args';
import { decodeEnvelope, formatEnvelopeLine } from '../format';
import { CliError, EXIT, pause } from '../io';
import { deleteGroup } from '../sources/kafka';
import { TARGET_OPTIONS, topicName, withTarget } from '../target';

export const topicTail: Command = {
  spec: {
    path: 'topic tail',
    summary:
      'Prints records of a topic as decoded envelopes (type, version, orderId, sequence, eventId, correlationId, ' +
      'partition/offset), one per line, until Ctrl-C, --limit or --idle. Records that are not envelopes are shown ' +
      'as UNDECODABLE with the reason.',
    positionals: [
      {
        name: 'topic',
        required: true,
        description: 'topology topic (orders, inventory, payments, notifications) or a physical topic name',
      },
    ],
    options: {
      'from-beginning': {
        type: 'boolean',
        description: 'start at the oldest retained record (default: only new ones)',
      },
      limit: { type: 'string', value: 'N', description: 'stop after N records' },
      idle: { type: 'string', value: 'SECONDS', description: 'stop when no record arrived for this long' },
      json: {
        type: 'boolean',
        description:
          'one JSON object per record: topic, partition, offset, timestamp, key, headers (UTF-8 text, or {"base64"} when binary), envelope or error',
      },
      ...TARGET_OPTIONS,
    },
    examples: ['topic tail orders', 'topic tail payments --from-beginning --limit 20 --json'],
  },
  run: (parsed, io) =>
    withTarget(parsed, io, async (target) => {
      const limit = stringOpt(parsed, 'limit');
      const max = limit === undefined ? Number.POSITIVE_INFINITY : integerValue(limit, '--limit', 1, 1_000_000);
      const idleRaw = stringOpt(parsed, 'idle');
      const idleMs = idleRaw === undefined ? undefined : secondsValue(idleRaw, '--idle') * 1000;
      const json = boolOpt(parsed, 'json');
      const fromBeginning = boolOpt(parsed, 'from-beginning');
      const topic = topicName(target, parsed.positionals[0] as string);

      const kafka = await target.kafka();
      const admin = kafka.admin();
      await admin.connect();
      let partitions: number;
      try {
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) {
          const known = existing.filter((t) => !t.startsWith('__')).sort();
          throw new CliError(
            `topic "${topic}" does not exist at ${target.where.kafka} (known: ${known.join(', ') || 'none'})`,
          );
        }
        partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
      } finally {
        await admin.disconnect();
      }

      const groupId = `order-cli-tail-${randomUUID()}`;
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
      let count = 0;
      let lastActivity = Date.now();
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      io.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning });
        io.err(
          `tailing ${topic} (${partitions} partitions) ${fromBeginning ? 'from the beginning' : 'from now'}; Ctrl-C to stop`,
        );
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (count >= max || stop.signal.aborted) return;
            count += 1;
            lastActivity = Date.now();
            io.out(json ? recordJson(topic, partition, message) : recordLine(topic, partition, message));
            if (count >= max) stop.abort();
          },
        });
        // Joining the group can take a moment; --idle counts from when reading starts.
        lastActivity = Date.now();
        while (!stop.signal.aborted) {
          if (idleMs !== undefined && Date.now() - lastActivity >= idleMs) break;
          await pause(Math.min(250, idleMs ?? 250), stop.signal);
        }
      } finally {
        io.signal.removeEventListener('abort', onAbort);
        await consumer.disconnect().catch(() => undefined);
        await deleteGroup(kafka, groupId);
      }
      io.err(`${count} record(s)`);
      return EXIT.ok;
    }),
};

const keyText = (key: Buffer | null) => (key === null ? null : key.toString('utf8'));

function recordLine(topic: string, partition: number, m: KafkaMessage): string {
  return formatEnvelopeLine({ topic, partition, offset: m.offset }, decodeEnvelope(m.value), keyText(m.key));
}

function recordJson(topic: string, partition: number, m: KafkaMessage): string {
  const decoded = decodeEnvelope(m.value);
  return JSON.stringify({
    topic,
    partition,
    offset: m.offset,
    timestamp: new Date(Number(m.timestamp)).toISOString(),
    key: keyText(m.key),
    headers: headerStrings(m.headers),
    ...(decoded.ok ? { envelope: decoded.full } : { error: decoded.problem, value: m.value?.toString('utf8') ?? null }),
  });
}

/** A header value as text when it is UTF-8, else `{ base64 }`: a binary value is shown without loss. */
type HeaderValue = string | { readonly base64: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function headerValue(v: Buffer | string): HeaderValue {
  if (typeof v === 'string') return v;
  try {
    return utf8.decode(v);
  } catch {
    return { base64: v.toString('base64') };
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, HeaderValue | HeaderValue[]> {
  const out: Record<string, HeaderValue | HeaderValue[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(headerValue) : headerValue(v);
  }
  return out;
}
