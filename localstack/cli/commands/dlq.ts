/** `dlq list` and `dlq redrive`: see dlq/ for the message shapes, the non-consuming reads and the redrive. */

import { type FunctionId, functions } from '../../../lib/topology';
import { boolOpt, type Command, integerValue, secondsValue, stringOpt } from '../args';
import { classifyMessage, KIND_LABEL } from '../dlq/classify';
import { formatDlqEntry } from '../dlq/format';
import { deleteMessage, extendHold, type HeldMessage, holdMessages, queueDepth, releaseMessages } from '../dlq/queue';
import { addressedTo, failedConsumerOf, planRedrive, type Republish } from '../dlq/redrive';
import { CliError, type CliIo, EXIT, type ExitCode, UsageError } from '../io';
import { type Republisher, republisher, requireTopics } from '../sources/kafka';
import {
  explainUnreachable,
  type ResolvedQueue,
  resolveAllQueues,
  resolveQueue,
  TARGET_OPTIONS,
  type Target,
  withTarget,
} from '../target';

const QUEUE_ARG = {
  name: 'queue',
  description:
    'topology DLQ id (inventory-dlq, payment-dlq, notification-dlq, order-view-dlq, outbox-relay-dlq), a queue name or URL',
};

const IDEMPOTENT_NOTE =
  'Redrive is safe to repeat: consumers process each event once per eventId, so a record redriven twice ' +
  '(or also delivered normally) has a single effect.';

export const dlqList: Command = {
  spec: {
    path: 'dlq list',
    summary:
      'Lists DLQ messages with their reasons WITHOUT consuming them (each is made visible again at once), telling ' +
      'apart processor dead letters (reason + source record), Kafka ESM failure records (condition + offset ranges) ' +
      'and DynamoDB Streams ESM failure records (shard + sequence range).',
    positionals: [{ ...QUEUE_ARG, required: false, description: `${QUEUE_ARG.description}; omitted = --all` }],
    options: {
      all: { type: 'boolean', description: 'every DLQ of the topology' },
      limit: { type: 'string', value: 'N', description: 'at most N messages per queue (default 100)' },
      json: { type: 'boolean', description: 'one JSON object per message (queue, messageId, kind, details)' },
      ...TARGET_OPTIONS,
    },
    examples: ['dlq list', 'dlq list inventory-dlq --json', 'dlq list --all --prefix t1234-'],
  },
  run: async (parsed, io) =>
    withTarget(parsed, io, async (target) => {
      const queueArg = parsed.positionals[0];
      if (queueArg && boolOpt(parsed, 'all')) throw new UsageError('give a queue or --all, not both', 'dlq list');
      const limit = integerValue(stringOpt(parsed, 'limit') ?? '100', '--limit', 1, 10_000);
      let targets: ResolvedQueue[];
      if (queueArg) targets = [await resolveQueue(target, queueArg)];
      else {
        const { found, missing } = await resolveAllQueues(target);
        if (found.length === 0) {
          throw new CliError(
            `none of the topology's DLQs exists at ${target.where.sqs} (${missing.join(', ')}): ` +
              'is the pipeline provisioned (npm start), or is a --prefix missing?',
          );
        }
        if (missing.length > 0) io.err(`not provisioned (skipped): ${missing.join(', ')}`);
        targets = found;
      }
      for (const q of targets) await listQueue(target, q, limit, boolOpt(parsed, 'json'), io);
      return EXIT.ok;
    }),
};

async function listQueue(target: Target, q: ResolvedQueue, limit: number, json: boolean, io: CliIo): Promise<void> {
  const depth = await queueDepth(target.sqs, q.url);
  const held = await holdMessages(target.sqs, q.url, { max: limit, holdSeconds: 30, signal: io.signal });
  try {
    if (!json) {
      const inFlight = depth.inFlight > 0 ? `, ${depth.inFlight} in flight (held by someone, not shown)` : '';
      io.out(`${q.label}: ${held.length} message(s)${inFlight}${held.length >= limit ? ` (first ${limit})` : ''}`);
    }
    for (const [i, m] of held.entries()) {
      const entry = classifyMessage(m.body);
      if (json) io.out(JSON.stringify({ queue: q.label, messageId: m.messageId, sentAt: m.sentAt, ...entry }));
      else for (const line of formatDlqEntry(i + 1, m, entry)) io.out(line);
    }
  } finally {
    const stuck = await releaseMessages(target.sqs, q.url, held);
    if (stuck.length > 0) io.err(`could not release ${stuck.length} message(s); they reappear within 30 s`);
  }
}

export const dlqRedrive: Command = {
  spec: {
    path: 'dlq redrive',
    summary:
      'Sends DLQ messages back to their source topic and deletes each one only after its records were re-published. ' +
      'Dead letters: the original record (same key, value, headers). Kafka failure records: the offsets they name, ' +
      'read back from the topic. DynamoDB Streams failure records: the outbox items in the shard range, published ' +
      'as the relay would. Messages that cannot be redriven (past retention, unrecognised) stay in the queue.',
    positionals: [{ ...QUEUE_ARG, required: true }],
    options: {
      'dry-run': {
        type: 'boolean',
        description: 'read and show what would be re-published; publish and delete nothing',
      },
      'to-failed-consumer': {
        type: 'boolean',
        description:
          'address each record to the one function that failed it (dead letters, Kafka failure records): other consumers of the topic ignore it',
      },
      max: { type: 'string', value: 'N', description: 'redrive at most N messages (default 100)' },
      'read-timeout': {
        type: 'string',
        value: 'SECONDS',
        description: 'time allowed to read records back (default 30)',
      },
      ...TARGET_OPTIONS,
    },
    notes: [IDEMPOTENT_NOTE],
    examples: ['dlq redrive inventory-dlq --dry-run', 'dlq redrive order-view-dlq --max 10'],
  },
  run: async (parsed, io) =>
    withTarget(parsed, io, async (target) => {
      const max = integerValue(stringOpt(parsed, 'max') ?? '100', '--max', 1, 10_000);
      const readTimeoutMs = secondsValue(stringOpt(parsed, 'read-timeout') ?? '30', '--read-timeout') * 1000;
      const dryRun = boolOpt(parsed, 'dry-run');
      const q = await resolveQueue(target, parsed.positionals[0] as string);
      // Held long enough to work through them; each message's hold is renewed just before it is worked on.
      const held = await holdMessages(target.sqs, q.url, { max, holdSeconds: HOLD_SECONDS, signal: io.signal });
      if (held.length === 0) {
        io.out(`${q.label}: no messages to redrive`);
        return EXIT.ok;
      }
      held.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
      const session = new RedriveSession(target, q, io, dryRun, readTimeoutMs, boolOpt(parsed, 'to-failed-consumer'));
      try {
        for (const [i, m] of held.entries()) {
          if (io.signal.aborted) break;
          await session.redrive(m, i + 1, held.length);
        }
      } finally {
        await session.close();
        const stuck = await releaseMessages(
          target.sqs,
          q.url,
          held.filter((m) => !session.deleted.has(m.messageId)),
        );
        if (stuck.length > 0)
          io.err(`could not release ${stuck.length} message(s); they reappear within ${HOLD_SECONDS} s`);
      }
      return session.report(held.length);
    }),
};

const HOLD_SECONDS = 300;

class RedriveSession {
  readonly deleted = new Set<string>();
  private readonly failures: string[] = [];
  private succeeded = 0;
  private publisher: Republisher | undefined;
  /** Topics already found to exist in this session (checked once, not once per message). */
  private readonly knownTopics = new Set<string>();

  constructor(
    private readonly target: Target,
    private readonly queue: ResolvedQueue,
    private readonly io: CliIo,
    private readonly dryRun: boolean,
    private readonly readTimeoutMs: number,
    private readonly targeted: boolean,
  ) {}

  /** A physical function name → its topology id (local: under the prefix; aws: the stack outputs). */
  private functionIdOf = (name: string): string | undefined => {
    const ids = Object.keys(functions) as FunctionId[];
    if (this.target.kind === 'aws') return ids.find((f) => this.target.deployment?.functionName(f) === name);
    return ids.find((f) => this.target.names.functionName(f) === name);
  };

  async redrive(m: HeldMessage, n: number, total: number): Promise<void> {
    const entry = classifyMessage(m.body);
    const tag = `[${n}/${total}] ${m.messageId} ${KIND_LABEL[entry.kind]}`;
    this.io.err(`${tag}: ${this.dryRun ? 'checking' : 'redriving'}...`);
    try {
      await extendHold(this.target.sqs, this.queue.url, m, HOLD_SECONDS);
      const planned = await planRedrive(entry, {
        kafka: this.target.kafka,
        streams: this.target.streams,
        readTimeoutMs: this.readTimeoutMs,
        progress: (line) => this.io.err(`  ${line}`),
        schemaVersionIds: this.target.schemaVersionIds,
      });
      const consumer = this.targeted ? failedConsumerOf(entry, this.functionIdOf) : undefined;
      if (this.targeted && !consumer)
        this.io.err('  note: the message names no consumer: re-published to every consumer');
      const plan = consumer ? addressedTo(planned, consumer) : planned;
      for (const note of plan.notes) this.io.err(`  note: ${note}`);
      if (this.dryRun) {
        this.io.out(`${tag}: would re-publish ${describe(plan.republish)}`);
        this.succeeded += 1;
        return;
      }
      if (plan.republish.length > 0) {
        const kafka = await this.target.kafka();
        const unchecked = [...new Set(plan.republish.map((r) => r.topic))].filter((t) => !this.knownTopics.has(t));
        if (unchecked.length > 0) {
          await requireTopics(kafka, unchecked);
          for (const t of unchecked) this.knownTopics.add(t);
        }
        this.publisher ??= republisher(kafka);
        for (const group of byTopicRuns(plan.republish)) {
          await this.publisher.send(
            group[0]?.topic as string,
            group.map((r) => r.message),
          );
        }
      }
      await deleteMessage(this.target.sqs, this.queue.url, m);
      this.deleted.add(m.messageId);
      this.succeeded += 1;
      this.io.out(`${tag}: re-published ${describe(plan.republish)}; deleted from ${this.queue.label}`);
    } catch (err) {
      // A server that cannot be reached fails every message the same way: stop instead of repeating it.
      const unreachable = explainUnreachable(err, this.target);
      if (unreachable) throw unreachable;
      const why = (err as Error).message;
      this.failures.push(`${m.messageId}: ${why}`);
      this.io.out(`${tag}: FAILED, left in the queue: ${why}`);
    }
  }

  async close(): Promise<void> {
    await this.publisher?.close();
  }

  report(total: number): ExitCode {
    const verb = this.dryRun ? 'can be redriven' : 'redriven';
    this.io.out(
      `${this.succeeded} of ${total} message(s) ${verb}${this.failures.length ? `; ${this.failures.length} left in the queue` : ''}.`,
    );
    if (!this.dryRun && this.succeeded > 0) this.io.err(IDEMPOTENT_NOTE);
    return this.failures.length > 0 ? EXIT.failed : EXIT.ok;
  }
}

/** Consecutive records of the same topic, so one send per run keeps the overall order. */
function byTopicRuns(records: readonly Republish[]): Republish[][] {
  const runs: Republish[][] = [];
  for (const r of records) {
    const last = runs[runs.length - 1];
    if (last && last[0]?.topic === r.topic) last.push(r);
    else runs.push([r]);
  }
  return runs;
}

function describe(records: readonly Republish[]): string {
  if (records.length === 0) return 'nothing (no records to re-publish)';
  const topics = [...new Set(records.map((r) => r.topic))].join(', ');
  const from = records.map((r) => r.from);
  const shown = from.length > 5 ? `${from.slice(0, 5).join(', ')} and ${from.length - 5} more` : from.join(', ');
  return `${records.length} record(s) to ${topics} (${shown})`;
}
