/** Messages between a function's execution environment (a worker thread) and the runner. */

export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Fixed for the life of an execution environment (Lambda's function configuration). */
export interface EnvironmentConfig {
  readonly bundlePath: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** The OS thread's name (Linux keeps 15 characters), so per-thread CPU (`top -H`, /proc) says which
   * function it is; benchmarks split Node's CPU by it. */
  readonly threadName?: string;
}

export type ToEnvironment = {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event as JSON text: Lambda events cross a serialisation boundary, so do ours. */
  readonly eventJson: string;
  /** Epoch ms at which the invocation times out (getRemainingTimeInMillis counts down to it). */
  readonly deadlineMs: number;
  /** Set as `_X_AMZN_TRACE_ID` for this invocation, as the Node.js runtime does. */
  readonly traceHeader?: string;
};

export type FromEnvironment =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: LambdaError }
  | { readonly type: 'result'; readonly requestId: string; readonly payloadJson: string }
  | { readonly type: 'error'; readonly requestId: string; readonly error: LambdaError };

/** How the Node.js runtime reports a thrown value: errorType from the error's name, or the value's type. */
export function toLambdaError(thrown: unknown): LambdaError {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || thrown.constructor?.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown) };
}
