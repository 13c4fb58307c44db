/**
 * `order trace <orderId>`: every hop of one order in time order (function, trigger, event, Kafka
 * topic/partition/offset or stream sequence number, duration, outcome). Locally from the runner's
 * invocation journal, which `npm start` writes (invocation-journal.ts); with `--target aws` from X-Ray
 * (trace/xray-source.ts), over the last `--since` hours.
 */
import { XRayClient } from '@aws-sdk/client-xray';
import { deploymentNames } from '../../../lib/names';
import { journalPath, readJournal } from '../../runner/lambda/invocation-journal';
import { boolOpt, type Command, integerValue, stringOpt } from '../args';
import { DEFAULT_DEPLOYMENT_PREFIX } from '../aws-deployment';
import { CliError, EXIT, UsageError } from '../io';
import { PREFIX_ENV, TARGET_ENV, TARGET_OPTIONS } from '../target';
import { formatTraceRow, localTraceRows, type TraceRow } from '../trace/trace-rows';
import { xrayTraceRows } from '../trace/xray-source';

/** X-Ray keeps traces 30 days (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html). */
const MAX_SINCE_HOURS = 30 * 24;

export const orderTrace: Command = {
  spec: {
    path: 'order trace',
    summary:
      'Prints every hop of one order in time order: function, trigger, event, topic/partition/offset, duration, outcome.',
    positionals: [{ name: 'orderId', required: true, description: 'the id from `order place`' }],
    options: {
      json: { type: 'boolean', description: 'one JSON object per hop' },
      journal: {
        type: 'string',
        value: 'PATH',
        description: 'local: the invocation journal to read (default: the one `npm start` writes for --prefix)',
      },
      since: {
        type: 'string',
        value: 'HOURS',
        description: `aws: how far back X-Ray is searched (default 6, max ${MAX_SINCE_HOURS})`,
      },
      ...TARGET_OPTIONS,
    },
    notes: [
      'Local: read from the journal of the running (or last) `npm start`, .local/pipeline/<prefix or default>/invocations.jsonl (PIPELINE_JOURNAL overrides).',
      'AWS: X-Ray traces whose subsegments carry annotation orderId (functions/shared/tracing.ts); needs xray:GetTraceSummaries and xray:BatchGetTraces.',
    ],
    examples: ['order trace 0190f0d2-7c4e-7a1b-8c3d-1234567890ab', 'order trace <orderId> --target aws --since 24'],
  },
  run: async (parsed, io) => {
    const orderId = parsed.positionals[0] as string;
    const target = stringOpt(parsed, 'target') ?? io.env[TARGET_ENV] ?? 'local';
    if (target !== 'local' && target !== 'aws')
      throw new UsageError(`--target must be "local" or "aws", got "${target}"`);
    const prefix = stringOpt(parsed, 'prefix') ?? io.env[PREFIX_ENV];
    const rows =
      target === 'aws'
        ? await fromXRay(orderId, prefix ?? DEFAULT_DEPLOYMENT_PREFIX, stringOpt(parsed, 'since'), io.env)
        : fromJournal(orderId, parsed, io.env);
    if (rows.length === 0) {
      io.err(
        `no hops recorded for order ${orderId}${target === 'local' ? ' (is this the prefix its pipeline ran under?)' : ''}`,
      );
      return EXIT.failed;
    }
    if (boolOpt(parsed, 'json')) for (const row of rows) io.out(JSON.stringify(row));
    else {
      for (const row of rows) io.out(formatTraceRow(row));
      const traces = new Set(rows.flatMap((r) => (r.traceId ? [r.traceId] : [])));
      io.err(
        `${rows.length} hop${rows.length === 1 ? '' : 's'}, ${traces.size} trace id${traces.size === 1 ? '' : 's'}`,
      );
    }
    return EXIT.ok;
  },
};

function fromJournal(orderId: string, parsed: Parameters<Command['run']>[0], env: NodeJS.ProcessEnv): TraceRow[] {
  const path = stringOpt(parsed, 'journal') ?? journalPath(stringOpt(parsed, 'prefix') ?? env[PREFIX_ENV] ?? '', env);
  try {
    return localTraceRows(readJournal(path), orderId);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(
        `no invocation journal at ${path}: start the pipeline with npm start (or pass --journal)`,
        EXIT.unavailable,
      );
    }
    throw err;
  }
}

/**
 * X-Ray is searched account-wide; the deployment's functions are the ones CloudFormation named after
 * its services stack (`<prefix>-Services-<LogicalId>-<suffix>`: the stacks set no function names).
 */
async function fromXRay(
  orderId: string,
  prefix: string,
  since: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<TraceRow[]> {
  const hours = since === undefined ? 6 : integerValue(since, '--since', 1, MAX_SINCE_HOURS);
  const to = new Date();
  const region = env.AWS_REGION;
  const xray = new XRayClient(region ? { region } : {});
  try {
    const rows = await xrayTraceRows(xray, orderId, { from: new Date(to.getTime() - hours * 3600_000), to });
    const ours = `${deploymentNames(prefix).stacks.services}-`;
    return rows.filter((r) => r.function.startsWith(ours));
  } finally {
    xray.destroy();
  }
}
