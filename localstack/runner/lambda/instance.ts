/**
 * One execution environment: a worker thread with its own module state and its own process.env, running
 * one invocation at a time. Past its timeout an invocation fails with "Task timed out" and the
 * environment is destroyed, as Lambda does; so is an environment whose init failed or that crashed.
 */
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { lambdaHeapLimits } from './environment';
import type { EnvironmentConfig, FromEnvironment, LambdaError, ToEnvironment } from './protocol';

export type InstanceOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly error: LambdaError; readonly timedOut?: boolean };

/** How an invocation ends: the handler's result or error (from the environment), or a crash of the environment. */
type InvocationEnd =
  | Extract<FromEnvironment, { type: 'result' | 'error' }>
  | { readonly type: 'crash'; readonly error: LambdaError };

/** Lambda's init phase may take at most 10 s. */
const INIT_TIMEOUT_MS = 10_000;

export class FunctionInstance {
  private readonly worker: Worker;
  private readonly ready: Promise<LambdaError | undefined>;
  /** Settles the invocation in progress: its result or error, or the environment's crash. */
  private pending: ((message: InvocationEnd) => void) | undefined;
  private alive = true;
  /** True until this environment's first invocation (for the log's cold-start mark). */
  cold = true;

  /**
   * `output`, when given, receives each line the function writes to stdout (its logs and EMF metrics,
   * what Lambda sends to CloudWatch Logs) instead of this process's stdout.
   */
  constructor(
    bootstrapPath: string,
    config: EnvironmentConfig,
    env: Record<string, string>,
    output?: (line: string) => void,
  ) {
    this.worker = new Worker(bootstrapPath, {
      workerData: config,
      env,
      // The function's memory setting sizes its heap as Lambda's Node.js runtime sizes it.
      resourceLimits: lambdaHeapLimits(config.memoryMb),
      stdout: output !== undefined,
      stderr: false,
    });
    if (output) createInterface({ input: this.worker.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', output);
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({ errorType: 'Runtime.InitTimeout', errorMessage: `INIT phase exceeded ${INIT_TIMEOUT_MS / 1000} s` });
      }, INIT_TIMEOUT_MS);
      const settle = (error: LambdaError | undefined) => {
        clearTimeout(timer);
        resolve(error);
      };
      this.worker.once('message', (m: FromEnvironment) => settle(m.type === 'init-error' ? m.error : undefined));
      this.worker.once('error', (err) => settle({ errorType: 'Runtime.ExitError', errorMessage: err.message }));
    });
    this.worker.on('message', (m: FromEnvironment) => {
      if (m.type === 'result' || m.type === 'error') this.pending?.(m);
    });
    this.worker.on('error', (err: Error) => {
      this.alive = false;
      const errorType =
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'Runtime.OutOfMemory' : err.name;
      this.pending?.({ type: 'crash', error: { errorType, errorMessage: err.message } });
    });
    this.worker.on('exit', (code) => {
      this.alive = false;
      this.pending?.({
        type: 'crash',
        error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` },
      });
    });
  }

  get usable(): boolean {
    return this.alive;
  }

  async invoke(requestId: string, event: unknown, timeoutMs: number, traceHeader?: string): Promise<InstanceOutcome> {
    const initError = await this.ready;
    if (initError) {
      this.alive = false;
      return { ok: false, error: initError };
    }
    const deadlineMs = Date.now() + timeoutMs;
    const message: ToEnvironment = {
      type: 'invoke',
      requestId,
      eventJson: JSON.stringify(event),
      deadlineMs,
      ...(traceHeader ? { traceHeader } : {}),
    };
    return new Promise<InstanceOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.alive = false;
        void this.worker.terminate();
        resolve({
          ok: false,
          timedOut: true,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      this.pending = (m) => {
        clearTimeout(timer);
        this.pending = undefined;
        if (m.type === 'result') resolve({ ok: true, payload: JSON.parse(m.payloadJson) });
        else resolve({ ok: false, error: m.error });
      };
      this.worker.postMessage(message);
      this.cold = false;
    });
  }

  async destroy(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }
}
