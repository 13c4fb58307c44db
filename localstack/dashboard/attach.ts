/**
 * Wires the local dashboard into a pipeline: the hooks to pass to startPipeline (invocation records,
 * function output, API responses), then, once the pipeline runs, the samplers and the web server.
 * Used by `npm start` and the browser test.
 */
import type { FunctionId } from '../../lib/topology';
import type { InvocationSink } from '../runner/lambda/invocation-log';
import type { Pipeline, PipelineOptions } from '../runner/pipeline';
import { LocalMetrics } from './local-metrics';
import { type DashboardServer, startDashboardServer } from './server';

export const DEFAULT_DASHBOARD_PORT = 3001;

export interface DashboardHooks {
  /** Spread into startPipeline's options. */
  readonly pipelineOptions: Pick<PipelineOptions, 'invocationLog' | 'functionOutput' | 'onApiResponse'>;
  /** Starts sampling and serving once the pipeline is up. */
  start(pipeline: Pipeline, port: number): Promise<RunningDashboard>;
}

export interface RunningDashboard {
  readonly url: string;
  readonly metrics: LocalMetrics;
  stop(): Promise<void>;
}

export interface DashboardHookOptions {
  /** Where invocation records still go (the console lines of `npm start`). */
  readonly invocationLog?: InvocationSink;
  /** Where the functions' output lines still go; EMF lines are passed only with `echoMetrics`. */
  readonly output?: (fn: FunctionId, line: string) => void;
  readonly echoMetrics?: boolean;
  /** How often lag and DLQ depth are sampled (ms). */
  readonly sampleEveryMs?: number;
}

export function dashboardHooks(options: DashboardHookOptions = {}): DashboardHooks {
  let metrics: LocalMetrics | undefined;
  return {
    pipelineOptions: {
      invocationLog: (r) => {
        options.invocationLog?.(r);
        metrics?.onInvocation(r);
      },
      functionOutput: (fn, line) => {
        const wasMetric = metrics?.onFunctionOutput(line) ?? false;
        if (!wasMetric || options.echoMetrics) options.output?.(fn, line);
      },
      onApiResponse: (r) => metrics?.onApiResponse(r),
    },
    async start(pipeline, port) {
      const m = new LocalMetrics({ names: pipeline.names, endpoints: pipeline.endpoints });
      metrics = m;
      await m.start(options.sampleEveryMs);
      let server: DashboardServer;
      try {
        server = await startDashboardServer({ metrics: m, port, subtitle: `API ${pipeline.apiUrl}` });
      } catch (err) {
        await m.stop();
        throw err;
      }
      return {
        url: server.url,
        metrics: m,
        async stop() {
          await server.close();
          await m.stop();
        },
      };
    },
  };
}
