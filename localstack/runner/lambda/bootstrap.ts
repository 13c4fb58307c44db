/**
 * The runtime inside one execution environment (a worker thread): loads the function's bundle once (the
 * init phase: module state lives as long as the environment), then runs one invocation at a time with a
 * Lambda-like context. Bundled by bundle.ts and started by instance.ts; never imported by the runner.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import {
  type EnvironmentConfig,
  type FromEnvironment,
  type LambdaError,
  type ToEnvironment,
  toLambdaError,
} from './protocol';

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: Context, callback: Callback) => unknown;

const config = workerData as EnvironmentConfig;
const port = parentPort;
if (!port) throw new Error('bootstrap.ts runs inside a worker thread only');
const send = (message: FromEnvironment) => port.postMessage(message);

process.setSourceMapsEnabled(true);

// A worker runs JavaScript on an OS thread of its own: naming it after the function lets per-thread CPU
// (/proc/<pid>/task/*/comm, `top -H`) say where the runner's CPU goes. Linux only; elsewhere it stays unnamed.
if (config.threadName) {
  try {
    writeFileSync('/proc/thread-self/comm', config.threadName.slice(0, 15));
  } catch {
    // not Linux, or /proc not mounted: the name is a diagnostic, not behaviour
  }
}

function loadHandler(): Handler | LambdaError {
  let mod: Record<string, unknown>;
  try {
    // The bundle is CommonJS, like the one CDK's NodejsFunction deploys.
    mod = require(config.bundlePath) as Record<string, unknown>;
  } catch (err) {
    return toLambdaError(err);
  }
  const handler = mod[config.handlerExport];
  if (typeof handler !== 'function') {
    return {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `index.${config.handlerExport} is undefined or not exported`,
    };
  }
  return handler as Handler;
}

function contextFor(message: ToEnvironment, callback: Callback): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: String(config.memoryMb),
    awsRequestId: message.requestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    done: (error?: Error, result?: unknown) => callback(error, result),
    fail: (error: Error | string) => callback(error),
    succeed: (result: unknown) => callback(undefined, result),
  };
}

/** Runs the handler in either style Node.js Lambda supports: async (promise) or callback. */
function run(handler: Handler, message: ToEnvironment): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const event: unknown = JSON.parse(message.eventJson);
    const returned = handler(event, contextFor(message, callback), callback);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(
        (result) => callback(undefined, result),
        (error: unknown) => callback(error ?? new Error('handler rejected without a reason')),
      );
    } else if (handler.length < 3) {
      callback(undefined, returned);
    }
  });
}

const loaded = loadHandler();
if (typeof loaded === 'function') send({ type: 'ready' });
else send({ type: 'init-error', error: loaded });

port.on('message', async (message: ToEnvironment) => {
  if (typeof loaded !== 'function') {
    send({ type: 'error', requestId: message.requestId, error: loaded });
    return;
  }
  // Lambda's Node.js runtime sets the invocation's trace header here; each environment is one worker
  // thread with its own process.env, running one invocation at a time.
  if (message.traceHeader) process.env._X_AMZN_TRACE_ID = message.traceHeader;
  else delete process.env._X_AMZN_TRACE_ID;
  try {
    const result = await run(loaded, message);
    // Lambda returns the handler's result as JSON; undefined becomes null.
    send({ type: 'result', requestId: message.requestId, payloadJson: JSON.stringify(result ?? null) });
  } catch (err) {
    send({ type: 'error', requestId: message.requestId, error: toLambdaError(err) });
  }
});
