/**
 * A function as Lambda runs it: a pool of execution environments (at most `concurrency` at once, like
 * reserved concurrency), each serving one invocation at a time and reused while healthy. Every
 * invocation gets a fresh request id and its own timeout, and is logged on one line.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { newTraceContext, toXRayHeader } from '../../../functions/shared/trace-context';
import type { FunctionOutcome } from '../esm/types';
import type { HopsOf } from './hops';
import { FunctionInstance } from './instance';
import { failedItemCount, type InvocationSink, type Outcome } from './invocation-log';
import type { EnvironmentConfig, LambdaError } from './protocol';

export interface LocalFunctionOptions {
  /** Physical function name (e.g. `t1234-inventory`). */
  readonly name: string;
  readonly bundlePath: string;
  readonly bootstrapPath: string;
  /** The function's whole environment (topology environment + endpoints + Lambda's own variables). */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly concurrency: number;
  /** Names each environment's OS thread (default: none, the thread keeps Node's name). */
  readonly threadName?: string;
  readonly region: string;
  readonly accountId: string;
  readonly log?: InvocationSink;
  /** Receives each stdout line of the function (logs, EMF); default: this process's stdout. */
  readonly output?: (line: string) => void;
  /** Consulted before each invocation: a returned error is reported instead of running the handler. */
  readonly intercept?: (functionName: string) => LambdaError | undefined;
}

export interface InvokeMeta {
  readonly trigger: string;
  readonly batchSize?: number;
  /**
   * The trace header the invocation continues (API Gateway passes the request's); without one a new
   * trace starts, as Lambda starts one for an event source mapping's invocation.
   */
  readonly traceHeader?: string;
  /** What the invocation did for which orders, recorded with it (hops.ts). */
  readonly hops?: HopsOf;
}

export type Invocation = FunctionOutcome & { readonly durationMs: number };

export class LocalFunction {
  readonly arn: string;
  private readonly idle: FunctionInstance[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Environments running an invocation right now. */
  private readonly busy = new Set<FunctionInstance>();
  private live = 0;
  private stopped = false;

  constructor(private readonly options: LocalFunctionOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`${options.name}: concurrency must be an integer >= 1, got ${options.concurrency}`);
    }
    this.arn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.name}`;
  }

  get name(): string {
    return this.options.name;
  }

  invoke(event: unknown, meta: InvokeMeta): Promise<Invocation> {
    if (this.stopped) return Promise.reject(new Error(`function ${this.name} is stopped`));
    const run = this.run(event, meta);
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }

  private async run(event: unknown, meta: InvokeMeta): Promise<Invocation> {
    const requestId = randomUUID();
    const startedAt = new Date();
    // Sampled=0: there is no X-Ray daemon locally (the Tracer is off), the context still propagates.
    const traceHeader = meta.traceHeader ?? toXRayHeader(newTraceContext(startedAt.getTime()));
    const call = { ...meta, traceHeader, startedAt: startedAt.toISOString() };
    const injected = this.options.intercept?.(this.name);
    if (injected) {
      this.report(call, requestId, 0, false, { ok: false, error: injected }, true);
      return { ok: false, ...injected, requestId, durationMs: 0 };
    }
    const instance = await this.acquire();
    const cold = instance.cold;
    const started = performance.now();
    this.busy.add(instance);
    try {
      const outcome = await instance.invoke(requestId, event, this.options.timeoutSeconds * 1000, traceHeader);
      const durationMs = performance.now() - started;
      this.report(call, requestId, durationMs, cold, outcome, false);
      return outcome.ok
        ? { ok: true, payload: outcome.payload, requestId, durationMs }
        : {
            ok: false,
            errorType: outcome.error.errorType,
            errorMessage: outcome.error.errorMessage,
            requestId,
            durationMs,
          };
    } finally {
      this.busy.delete(instance);
      this.release(instance);
    }
  }

  /**
   * Fault injection: kills every environment that is running an invocation right now, as a sandbox crash
   * (out of memory, the host killing the process) would, whatever the handler had done so far. Those
   * invocations fail with Runtime.ExitError and their event source mapping retries the batch in a new
   * environment. Returns how many environments were killed.
   */
  killBusyEnvironments(): number {
    const victims = [...this.busy];
    for (const instance of victims) void instance.destroy();
    return victims.length;
  }

  private report(
    meta: InvokeMeta & { readonly traceHeader: string; readonly startedAt: string },
    requestId: string,
    durationMs: number,
    coldStart: boolean,
    outcome: { ok: true; payload: unknown } | { ok: false; error: LambdaError; timedOut?: boolean },
    injected: boolean,
  ): void {
    if (!this.options.log) return;
    const failedItems = outcome.ok ? failedItemCount(outcome.payload) : 0;
    let kind: Outcome = 'ok';
    if (!outcome.ok) kind = outcome.timedOut ? 'timeout' : 'error';
    else if (failedItems > 0) kind = 'partial';
    this.options.log({
      function: this.name,
      trigger: meta.trigger,
      ...(meta.batchSize !== undefined ? { batchSize: meta.batchSize } : {}),
      durationMs,
      outcome: kind,
      requestId,
      coldStart,
      ...(kind === 'partial' ? { failedItems } : {}),
      ...(outcome.ok
        ? {}
        : { error: { errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage } }),
      ...(injected ? { injected } : {}),
      startedAt: meta.startedAt,
      traceHeader: meta.traceHeader,
      ...(meta.hops ? { hops: meta.hops(outcome.ok ? outcome.payload : undefined) } : {}),
    });
  }

  private async acquire(): Promise<FunctionInstance> {
    for (;;) {
      if (this.stopped) throw new Error(`function ${this.name} is stopped`);
      const reusable = this.idle.pop();
      if (reusable?.usable) return reusable;
      if (reusable) {
        this.live--;
        continue;
      }
      if (this.live < this.options.concurrency) {
        this.live++;
        return new FunctionInstance(
          this.options.bootstrapPath,
          this.environmentConfig(),
          { ...this.options.environment },
          this.options.output,
        );
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(instance: FunctionInstance): void {
    if (instance.usable && !this.stopped) this.idle.push(instance);
    else {
      this.live--;
      void instance.destroy();
    }
    this.waiters.shift()?.();
  }

  private environmentConfig(): EnvironmentConfig {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    return {
      bundlePath: this.options.bundlePath,
      handlerExport: 'handler',
      functionName: this.name,
      functionArn: this.arn,
      memoryMb: this.options.memoryMb,
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
      ...(this.options.threadName ? { threadName: this.options.threadName } : {}),
    };
  }

  /** Waits for running invocations, then destroys every environment. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((i) => i.destroy()));
    this.live = 0;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
