/**
 * The variables Lambda itself sets in every execution environment (Node.js runtime), minus X-Ray's daemon
 * address; `_X_AMZN_TRACE_ID` is set per invocation (bootstrap.ts).
 */
import { dirname } from 'node:path';
import { LAMBDA_NODE_RUNTIME } from '../../../lib/runtime';

export interface RuntimeEnvOptions {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly region: string;
  readonly bundlePath: string;
}

export function lambdaRuntimeEnv(o: RuntimeEnvOptions): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(o.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${o.functionName}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${LAMBDA_NODE_RUNTIME}`,
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    LAMBDA_TASK_ROOT: dirname(o.bundlePath),
    _HANDLER: 'index.handler',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    // Not Lambda's: the environments emulate nodejs22.x, but run on this machine's Node. On Node 20 the
    // SDK bundled in each function would print its "Node >= 22 required from 2027" notice once per
    // execution environment; the runner's own process prints it once.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Not Lambda's either: no X-Ray daemon runs locally, so Powertools Tracer is off (every call a no-op)
    // instead of sending segments nowhere; trace context still travels in the events' headers.
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

/** V8 heap limits for a worker thread, in MB (Node's `Worker` resourceLimits). */
export interface HeapLimits {
  readonly maxOldGenerationSizeMb: number;
  readonly maxYoungGenerationSizeMb: number;
}

/**
 * The heap Lambda's Node.js runtime gives a function of `memoryMb`: its bootstrap script
 * (/var/runtime/bootstrap in the public.ecr.aws/lambda/nodejs images) starts node with
 * `--max-semi-space-size=<memory/10/2> --max-old-space-size=<memory - memory/10>`. A worker's young
 * generation holds two semi-spaces and a new large-object space of the same size (V8's
 * YoungGenerationSizeFromSemiSpaceSize: 3 x semi-space). Measured here (Node 20, 3 M short-lived objects
 * in a worker): the same scavenge count as a worker with only the old-space limit, so this is fidelity
 * (461 MB of old space at 512 MB, as in Lambda), not speed.
 */
export function lambdaHeapLimits(memoryMb: number): HeapLimits {
  const newSpaceMb = Math.floor(memoryMb / 10);
  const semiSpaceMb = Math.floor(newSpaceMb / 2);
  return { maxOldGenerationSizeMb: memoryMb - newSpaceMb, maxYoungGenerationSizeMb: 3 * semiSpaceMb };
}
