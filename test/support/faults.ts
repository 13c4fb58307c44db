/**
 * The faults the fault suite and the soak tool inject into a running local pipeline, each returning the
 * evidence that it really happened (a test that could pass with the fault never firing proves nothing):
 * the broker's pid before and after, how many environments were killed, how many DynamoDB calls the proxy
 * failed, how many relay invocations were refused.
 */
import type { FunctionId } from '../../lib/topology';
import { backendStatus, startBackends } from '../../localstack/backends';
import type { LambdaError } from '../../localstack/runner/lambda/protocol';
import { type Pipeline, type PipelineOptions, startPipeline } from '../../localstack/runner/pipeline';
import { type DynamoDbCall, type FaultProxy, startFaultProxy } from './dynamodb-fault-proxy';
import { uniqueName } from './unique-name';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PipelineBehindProxyOptions extends Omit<PipelineOptions, 'prefix' | 'apiPort' | 'functionEnv'> {
  /** The functions that reach DynamoDB through the proxy (default: all). */
  readonly throughProxy?: (fn: FunctionId) => boolean;
}

/**
 * The local pipeline (its own prefix, any free API port) with the chosen functions reaching DynamoDB
 * through a fault proxy, logging errors only and writing no EMF metrics: what the fault suite, the
 * crash e2e test and the soak run each start, so that a fault injected into the proxy reaches them.
 */
export async function startPipelineBehindFaultProxy(
  label: string,
  options: PipelineBehindProxyOptions = {},
): Promise<{ readonly pipeline: Pipeline; readonly proxy: FaultProxy }> {
  const { throughProxy = () => true, ...pipelineOptions } = options;
  const proxy = await startFaultProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  try {
    const pipeline = await startPipeline({
      ...pipelineOptions,
      prefix: `${uniqueName(label)}-`,
      apiPort: 0,
      functionEnv: (fn) => ({
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
        ...(throughProxy(fn) ? { AWS_ENDPOINT_URL_DYNAMODB: proxy.url } : {}),
      }),
    });
    return { pipeline, proxy };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}

/** `kill -9` of the Kafka broker this checkout started, then its restart; resolves once it answers again. */
export async function killBroker(downMs = 2000): Promise<{ pidBefore: number; pidAfter: number }> {
  const before = (await backendStatus()).find((s) => s.id === 'kafka');
  if (!before?.pid) throw new Error('the Kafka broker is not one this checkout started: cannot kill it');
  process.kill(before.pid, 'SIGKILL');
  await sleep(downMs);
  await startBackends();
  const after = (await backendStatus()).find((s) => s.id === 'kafka');
  if (!after?.pid) throw new Error('the Kafka broker did not come back with a pid');
  return { pidBefore: before.pid, pidAfter: after.pid };
}

/**
 * Kills the busy environments of `victims` every `everyMs` for `forMs` (or until `enough` were killed);
 * returns how many were killed.
 */
export async function killEnvironments(
  pipeline: Pipeline,
  victims: readonly FunctionId[],
  forMs: number,
  everyMs = 400,
  enough = Number.POSITIVE_INFINITY,
): Promise<number> {
  let killed = 0;
  const until = Date.now() + forMs;
  while (Date.now() < until && killed < enough) {
    for (const id of victims) killed += pipeline.functions.get(id)?.killBusyEnvironments() ?? 0;
    await sleep(everyMs);
  }
  return killed;
}

/** Fails the DynamoDB calls `rule` picks for `forMs`; returns how many calls the proxy failed meanwhile. */
export async function throttleDynamoDb(
  proxy: FaultProxy,
  forMs: number,
  rule: (call: DynamoDbCall) => boolean,
): Promise<number> {
  const before = proxy.injected();
  proxy.setRule(rule);
  try {
    await sleep(forMs);
  } finally {
    proxy.setRule(() => false);
  }
  return proxy.injected() - before;
}

/** Every `n`-th call matching `pick` (a deterministic share of the traffic). */
export function everyNth(n: number, pick: (call: DynamoDbCall) => boolean = () => true) {
  let seen = 0;
  return (call: DynamoDbCall): boolean => pick(call) && ++seen % n === 0;
}

/**
 * A switch that makes one function's invocations fail (through the pipeline's `intercept`), counting the
 * refused invocations. Pass `intercept` to startPipeline, then call `outage`.
 */
export interface FunctionOutage {
  readonly intercept: (fn: FunctionId) => LambdaError | undefined;
  /** Fails the function's invocations for `forMs`; returns how many were refused meanwhile. */
  outage(forMs: number): Promise<number>;
  readonly refused: () => number;
}

export function functionOutage(target: FunctionId): FunctionOutage {
  let downUntil = 0;
  let refused = 0;
  return {
    intercept: (fn) => {
      if (fn !== target || Date.now() >= downUntil) return undefined;
      refused++;
      return { errorType: 'Error', errorMessage: `injected: ${target} failing` };
    },
    async outage(forMs) {
      const before = refused;
      downUntil = Date.now() + forMs;
      await sleep(forMs);
      return refused - before;
    },
    refused: () => refused,
  };
}
