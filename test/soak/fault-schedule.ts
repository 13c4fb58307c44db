/**
 * The soak tool's faults: one kind after another (round robin over `--faults`), one every
 * `--fault-every` seconds while the load runs. Each injection records when it ran and its evidence.
 */
import { streamMappings } from '../../lib/topology';
import { retryDelay } from '../../localstack/runner/esm/retry-driver';
import type { Pipeline } from '../../localstack/runner/pipeline';
import type { FaultProxy } from '../support/dynamodb-fault-proxy';
import { everyNth, type FunctionOutage, killBroker, killEnvironments, throttleDynamoDb } from '../support/faults';
import type { FaultKind } from './args';

export interface InjectedFault {
  readonly kind: FaultKind;
  readonly startedAt: string;
  readonly durationMs: number;
  /** What shows that it happened (pids, counts). */
  readonly evidence: Record<string, number>;
  readonly error?: string;
}

export interface FaultContext {
  readonly pipeline: Pipeline;
  readonly proxy: FaultProxy;
  readonly relay: FunctionOutage;
}

/**
 * Longer than the relay's stream mapping can retry (its retries under the twin's backoff, doubled for
 * bisection, plus a margin): the batch goes to the on-failure queue and its orders wait for a reconciler.
 */
const LONG_RELAY_OUTAGE_MS = (() => {
  const mapping = streamMappings.find((m) => m.function === 'outbox-relay');
  if (!mapping) throw new Error('the topology has no stream mapping for outbox-relay');
  let retrying = 0;
  for (let retry = 1; retry <= mapping.retryAttempts; retry++) retrying += retryDelay(retry);
  return Math.max(30_000, 2 * retrying + 10_000);
})();

async function inject(kind: FaultKind, ctx: FaultContext): Promise<Record<string, number>> {
  switch (kind) {
    case 'broker-kill':
      return killBroker();
    case 'environment-kill':
      return {
        // Invocations are short at a few orders a second, and none run while the consumers rejoin their
        // groups after a broker restart: look often, for up to 30 s, until 3 were killed.
        killed: await killEnvironments(
          ctx.pipeline,
          ['inventory', 'payment', 'notification', 'order-view'],
          30_000,
          50,
          3,
        ),
      };
    case 'dynamodb-throttle':
      return { throttled: await throttleDynamoDb(ctx.proxy, 10_000, everyNth(3)) };
    case 'relay-outage':
      return { refused: await ctx.relay.outage(3000) };
    case 'relay-outage-long':
      return { refused: await ctx.relay.outage(LONG_RELAY_OUTAGE_MS), outageMs: LONG_RELAY_OUTAGE_MS };
  }
}

/** Injects faults until `until()` says the load is over; resolves with what was injected. */
export async function runFaultSchedule(
  kinds: readonly FaultKind[],
  everyMs: number,
  ctx: FaultContext,
  loadDone: () => boolean,
  log: (line: string) => void,
): Promise<InjectedFault[]> {
  const injected: InjectedFault[] = [];
  const sleepUnlessDone = async (ms: number) => {
    const until = Date.now() + ms;
    while (!loadDone() && Date.now() < until)
      await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
  };
  await sleepUnlessDone(everyMs / 2);
  for (let i = 0; !loadDone(); i++) {
    const kind = kinds[i % kinds.length] as FaultKind;
    const started = Date.now();
    try {
      const evidence = await inject(kind, ctx);
      injected.push({ kind, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, evidence });
      log(`fault ${injected.length}: ${kind} ${JSON.stringify(evidence)}`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      injected.push({
        kind,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        evidence: {},
        error,
      });
      log(`fault ${injected.length}: ${kind} FAILED: ${error}`);
    }
    await sleepUnlessDone(everyMs - (Date.now() - started));
  }
  return injected;
}
