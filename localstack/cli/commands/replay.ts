/**
 * `replay <function> --topic <t> --from <ISO time | offset> [--to <time>]`: re-runs one function over a
 * window of one topic under a fresh consumer group (`replay.<function>.<topic>`, refused while it exists), through a
 * temporary mapping with the live mapping's settings; the live mapping, its group and every other
 * function are untouched. Locally the mapping is a Kafka mapping twin with the function bundled and run
 * in this process (replay/local-mapping.ts); on --target aws a real event source mapping
 * (replay/aws-mapping.ts). A time start is AT_TIMESTAMP; an offset start sets the new group's offsets
 * first (an existing group resumes from its offsets). The replay ends when the group has committed the
 * window's end on every partition; then the mapping is removed and the group deleted. Consumers are
 * idempotent by eventId, so replayed records whose effects exist have none again.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Admin } from 'kafkajs';
import { type FunctionId, functions, kafkaMappings, replayMapping, type TopicId, topics } from '../../../lib/topology';
import { endpointsFromEnv } from '../../runner/endpoints';
import { type Command, secondsValue, stringOpt } from '../args';
import { CliError, type CliIo, EXIT, pause, UsageError } from '../io';
import { awsMappingState, createAwsReplayMapping } from '../replay/aws-mapping';
import { startLocalReplayMapping } from '../replay/local-mapping';
import {
  committedOffsets,
  describeWindow,
  type PartitionWindow,
  parseStart,
  parseTime,
  pendingPartitions,
  planWindow,
  recordsIn,
} from '../replay/window';
import { TARGET_OPTIONS, type Target, withTarget } from '../target';

const consumerIds = [...new Set(kafkaMappings.map((m) => m.function))];

export const replay: Command = {
  spec: {
    path: 'replay',
    summary:
      'Re-runs one function over a past window of one topic under a fresh consumer group, through a temporary ' +
      'mapping removed when the window is done; the live mapping and other functions are not touched.',
    positionals: [{ name: 'function', required: true, description: `a Kafka consumer: ${consumerIds.join(', ')}` }],
    options: {
      topic: {
        type: 'string',
        value: 'TOPIC',
        description: 'topology topic the function consumes (orders, payments, ...)',
      },
      from: {
        type: 'string',
        value: 'TIME|OFFSET',
        description: 'ISO-8601 time with a zone (AT_TIMESTAMP), or an offset applied to every partition',
      },
      to: {
        type: 'string',
        value: 'TIME',
        description: 'end of the window (default: the log end when the replay starts)',
      },
      timeout: { type: 'string', value: 'SECONDS', description: 'give up after this long (default 600)' },
      ...TARGET_OPTIONS,
    },
    notes: [
      'Safe to repeat: consumers process each event once per eventId, so a replayed record whose effect exists has none.',
    ],
    examples: [
      'replay notification --topic payments --from 2026-01-01T11:00:00Z',
      'replay order-view --topic orders --from 0 --to 2026-01-01T12:00:00Z',
    ],
  },
  run: (parsed, io) =>
    withTarget(parsed, io, async (target) => {
      const fn = parsed.positionals[0] as FunctionId;
      const topicArg = stringOpt(parsed, 'topic');
      const fromArg = stringOpt(parsed, 'from');
      if (!topicArg || !fromArg) throw new UsageError('replay needs --topic and --from', 'replay');
      if (!consumerIds.includes(fn))
        throw new UsageError(`"${fn}" is not a Kafka consumer (${consumerIds.join(', ')})`, 'replay');
      if (!Object.hasOwn(topics, topicArg))
        throw new UsageError(`--topic must be a topology topic, got "${topicArg}"`, 'replay');
      const topic = topicArg as TopicId;
      if (!kafkaMappings.some((m) => m.function === fn && m.topic === topic)) {
        throw new UsageError(`${fn} does not consume ${topic}`, 'replay');
      }
      const parsedStart = parseStart(fromArg);
      // AT_TIMESTAMP takes whole seconds: the window starts where the mapping will.
      const start =
        parsedStart.kind === 'time'
          ? { kind: 'time' as const, ms: Math.floor(parsedStart.ms / 1000) * 1000 }
          : parsedStart;
      const toRaw = stringOpt(parsed, 'to');
      const toMs = toRaw === undefined ? undefined : parseTime(toRaw, '--to');
      if (toMs !== undefined && start.kind === 'time' && toMs <= start.ms)
        throw new UsageError('--to must be after --from', 'replay');
      const timeoutMs = secondsValue(stringOpt(parsed, 'timeout') ?? '600', '--timeout', 24 * 3600) * 1000;
      const physicalTopic = target.names.topic(topic);

      const admin = (await target.kafka()).admin();
      await admin.connect();
      try {
        const window = await planWindow(admin, physicalTopic, start, toMs);
        const total = recordsIn(window);
        if (total === 0n) {
          io.out(`nothing to replay: ${physicalTopic} has no record in the window (${describeWindow(window)})`);
          return EXIT.ok;
        }
        const mapping = replayMapping(fn, topic, start.kind === 'time' ? { fromSeconds: start.ms / 1000 } : {});
        const groupId =
          target.kind === 'local' ? `${target.names.prefix}${mapping.consumerGroupId}` : mapping.consumerGroupId;
        // Every replay starts with a fresh group: one left over (a replay running, or not cleaned up) is refused.
        const leftOver = [...(await committedOffsets(admin, groupId, physicalTopic)).values()].some((o) => o >= 0n);
        if (leftOver) {
          throw new CliError(
            `group ${groupId} already has offsets: another replay of ${fn} over ${topic} is running or was interrupted; ` +
              'wait for it, or delete the group (its mapping first, on aws) and run again',
          );
        }
        if (start.kind === 'offset') {
          await admin.setOffsets({
            groupId,
            topic: physicalTopic,
            partitions: window.map((w) => ({ partition: w.partition, offset: String(w.from) })),
          });
        }
        io.err(
          `replaying ${total} record(s) of ${physicalTopic} (${describeWindow(window)}) into ${fn} as group ${groupId}`,
        );
        const run = await startMapping(target, io, fn, mapping, physicalTopic);
        let done = false;
        try {
          done = await follow(admin, groupId, physicalTopic, window, timeoutMs, io, run.state);
        } finally {
          await run.remove();
          await admin
            .deleteGroups([groupId])
            .catch((err: Error) => io.err(`could not delete group ${groupId}: ${err.message}`));
        }
        const delivered = run.delivered();
        const counts = delivered
          ? `; ${delivered.records} record(s) delivered in ${delivered.invocations} invocation(s), ${delivered.failedInvocations} failed`
          : '';
        if (!done)
          throw new CliError(`replay of ${fn} did not finish within ${timeoutMs / 1000} s${counts}; mapping removed`);
        io.out(
          `replayed ${total} record(s) of ${physicalTopic} (${describeWindow(window)}) into ${fn}${counts}; mapping and group ${groupId} removed`,
        );
        return EXIT.ok;
      } finally {
        await admin.disconnect();
      }
    }),
};

interface RunningMapping {
  readonly remove: () => Promise<void>;
  readonly delivered: () => { records: number; invocations: number; failedInvocations: number } | undefined;
  /** Why the mapping cannot make progress, if its source says so. */
  readonly state: () => Promise<string | undefined>;
}

async function startMapping(
  target: Target,
  io: CliIo,
  fn: FunctionId,
  mapping: ReturnType<typeof replayMapping>,
  topicName: string,
): Promise<RunningMapping> {
  if (target.kind === 'local') {
    const local = await startLocalReplayMapping(target, endpointsFromEnv(io.env), fn, mapping, (l) => io.err(`  ${l}`));
    return { remove: local.remove, delivered: local.delivered, state: async () => undefined };
  }
  const d = target.deployment;
  const functionName = d?.functionName(fn);
  const queue = functions[fn].deadLetterQueue;
  if (!d || !functionName || !d.kafkaClusterArn || !queue) {
    throw new CliError('the deployed stacks lack the replay outputs (FunctionXxxName, KafkaClusterArn): redeploy them');
  }
  const lambda = new LambdaClient({});
  const created = await createAwsReplayMapping(lambda, mapping, {
    functionName,
    clusterArn: d.kafkaClusterArn,
    topicName,
    onFailureQueueUrl: d.queueUrl(queue),
    pollerGroupName: d.pollerGroupName,
  });
  io.err(`  temporary event source mapping ${created.uuid} created (it may take minutes to start polling)`);
  return {
    remove: async () => {
      await created.remove();
      lambda.destroy();
    },
    delivered: () => undefined,
    state: async () => (await awsMappingState(lambda, created.uuid)).problem,
  };
}

/** Waits until the replay group has committed the window's end on every partition (or the timeout). */
async function follow(
  admin: Admin,
  groupId: string,
  topic: string,
  window: readonly PartitionWindow[],
  timeoutMs: number,
  io: CliIo,
  problem: () => Promise<string | undefined>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const pending = pendingPartitions(window, await committedOffsets(admin, groupId, topic));
    if (pending.length === 0) return true;
    if (Date.now() > deadline || io.signal.aborted) return false;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      const why = await problem();
      io.err(`  waiting for partition(s) ${pending.join(', ')}${why ? ` (mapping reports ${why})` : ''}`);
    }
    if (!(await pause(500, io.signal))) return false;
  }
}
