/**
 * `rebuild order-view [--from <time>] [--verify]`: the order read model (status and history on each order
 * item) recomputed from the four topics order-view reads, with order-view's state machine (rebuild/fold.ts).
 * The read model shares the order item with the order itself, so the "fresh read model" is built in memory
 * and switched to item by item: an order whose status or history differs is written back conditional on
 * the version read (a concurrent order-view update wins; run again). `--verify` writes nothing and lists
 * every difference (exit 1 when there is one). `--from` limits the events read (orders created before it
 * are then reported, not rewritten, since their early events are missing). Local target only: on aws the
 * tables' physical names are not in the stack outputs.
 */
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { orderKey } from '../../../functions/order-api/order-model';
import type { HistoryStep } from '../../../functions/order-view/status';
import type { AnyEventEnvelope } from '../../../functions/shared/envelope';
import { validateEvent } from '../../../functions/shared/validation';
import { kafkaMappings, type TopicId } from '../../../lib/topology';
import { clientConfig, endpointsFromEnv } from '../../runner/endpoints';
import { boolOpt, type Command, stringOpt } from '../args';
import { CliError, EXIT } from '../io';
import { foldEvents, viewDifferences, withRedriveSteps } from '../rebuild/fold';
import { parseTime, planWindow } from '../replay/window';
import { type OffsetRangeRequest, readRanges } from '../sources/kafka';
import { TARGET_OPTIONS, withTarget } from '../target';

const VIEW_TOPICS = kafkaMappings.filter((m) => m.function === 'order-view').map((m) => m.topic) as TopicId[];

export const rebuildOrderView: Command = {
  spec: {
    path: 'rebuild order-view',
    summary:
      "Rebuilds every order's status and history from the topics and writes back the orders that differ, or with " +
      '--verify reports every difference without writing.',
    positionals: [],
    options: {
      from: {
        type: 'string',
        value: 'TIME',
        description: 'read events from this ISO time (default: the oldest retained)',
      },
      verify: {
        type: 'boolean',
        description: 'compare with the live read model and write nothing (exit 1 on a difference)',
      },
      ...TARGET_OPTIONS,
    },
    examples: ['rebuild order-view --verify', 'rebuild order-view'],
  },
  run: (parsed, io) =>
    withTarget(parsed, io, async (target) => {
      if (target.kind !== 'local')
        throw new CliError('rebuild order-view runs against the local target only (table names)');
      const fromRaw = stringOpt(parsed, 'from');
      const fromMs = fromRaw === undefined ? undefined : parseTime(fromRaw, '--from');
      const verify = boolOpt(parsed, 'verify');
      const kafka = await target.kafka();
      const admin = kafka.admin();
      await admin.connect();
      const ranges: OffsetRangeRequest[] = [];
      try {
        for (const t of VIEW_TOPICS) {
          const topic = target.names.topic(t);
          const start =
            fromMs === undefined ? ({ kind: 'offset', offset: 0n } as const) : ({ kind: 'time', ms: fromMs } as const);
          for (const w of await planWindow(admin, topic, start, undefined)) {
            if (w.to > w.from)
              ranges.push({ topic, partition: w.partition, firstOffset: w.from, lastOffset: w.to - 1n });
          }
        }
      } finally {
        await admin.disconnect();
      }
      const records = ranges.length === 0 ? [] : await readRanges(kafka, ranges, { timeoutMs: 60_000 });
      const events: AnyEventEnvelope[] = [];
      let undecodable = 0;
      for (const r of records) {
        // Only events valid against their schema count, as for order-view (poison records never applied).
        const checked = validateEvent(parseJson(r.message.value));
        if (checked.ok) events.push(checked.event);
        else undecodable += 1;
      }
      const views = foldEvents(events);
      io.err(
        `read ${records.length} record(s) of ${VIEW_TOPICS.join(', ')} (${undecodable} not events): ${views.size} order(s)`,
      );

      const e = endpointsFromEnv(io.env);
      const ddb = new DynamoDBClient(clientConfig(e, e.dynamodb));
      const table = target.names.table('orders');
      let differing = 0;
      let written = 0;
      try {
        for (const [orderId, rebuiltView] of views) {
          const out = await ddb.send(
            new GetItemCommand({ TableName: table, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
          );
          if (!out.Item) {
            io.out(`${orderId}: events on the topics but no order item (not created here; skipped)`);
            continue;
          }
          const live = unmarshall(out.Item) as {
            status?: string;
            history?: HistoryStep[];
            version?: number;
            createdAt?: string;
          };
          const rebuilt = withRedriveSteps(rebuiltView, live);
          const diffs = viewDifferences(live, rebuilt);
          if (diffs.length === 0) continue;
          differing += 1;
          const partial = fromMs !== undefined && (live.createdAt ?? '') < new Date(fromMs).toISOString();
          io.out(`${orderId}: ${diffs.join('; ')}${partial ? ' (created before --from: not rewritten)' : ''}`);
          if (verify || partial) continue;
          await ddb.send(
            new UpdateItemCommand({
              TableName: table,
              Key: marshall(orderKey(orderId)),
              UpdateExpression: 'SET #status = :status, history = :history, version = :next',
              ConditionExpression: 'version = :version',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: marshall({
                ':status': rebuilt.status,
                ':history': rebuilt.history,
                ':version': live.version ?? 0,
                ':next': (live.version ?? 0) + 1,
              }),
            }),
          );
          written += 1;
        }
      } finally {
        ddb.destroy();
      }
      if (verify) {
        io.out(`${differing} of ${views.size} order(s) differ from the topics`);
        return differing > 0 ? EXIT.failed : EXIT.ok;
      }
      io.out(
        `rebuilt ${views.size} order(s) from the topics: ${written} rewritten, ${views.size - differing} already equal`,
      );
      return EXIT.ok;
    }),
};

function parseJson(value: Buffer | string | null | undefined): unknown {
  try {
    return value == null ? undefined : JSON.parse(value.toString());
  } catch {
    return undefined;
  }
}
