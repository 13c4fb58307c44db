/**
 * The whole pipeline on one machine: provision the topology (optionally as a prefixed, isolated copy),
 * bundle and start every function as Lambda would run it, start one twin per event source mapping and
 * the API Gateway twin. `npm start`, the e2e, fault and benchmark suites all use this one entry point.
 * Stopping drains: no new batches, in-flight ones finish and commit, then functions shut down.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SCHEMA_VERSION_IDS_ENV, type SchemaVersionIds } from '../../functions/shared/schema-ids';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  kafkaMappings,
  resolveSagaDeadlines,
  SAGA_DEADLINE_ENV,
  type SagaDeadlines,
  schedules,
  streamMappings,
  usesSchemaRegistry,
} from '../../lib/topology';
import { type ApiTwin, type ApiTwinOptions, startApiTwin } from './api/api-gateway-twin';
import { withTraceHeader } from './api/trace-header';
import type { UsagePlanSettings } from './api/usage-plan';
import { clientConfig, endpointEnv, endpointsFromEnv, type LocalEndpoints } from './endpoints';
import type { Backoff } from './esm/retry-driver';
import { KafkaEsm } from './kafka/kafka-esm';
import { bundleFunction, runtimeBootstrap } from './lambda/bundle';
import { lambdaRuntimeEnv } from './lambda/environment';
import { apiHops } from './lambda/hops';
import type { InvocationSink } from './lambda/invocation-log';
import { LocalFunction } from './lambda/local-function';
import type { LambdaError } from './lambda/protocol';
import type { ProvisionedNames } from './names';
import { provision } from './provision';
import { ScheduleTwin } from './schedule/schedule-twin';
import { StreamEsm } from './streams/stream-esm';

export interface PipelineOptions {
  readonly endpoints?: LocalEndpoints;
  /** Name prefix for an isolated copy on shared servers (tests); '' = the topology's own names. */
  readonly prefix?: string;
  readonly apiHost?: string;
  /** 0 = any free port. Default 3000. */
  readonly apiPort?: number;
  /** API key and throttling of the deployed usage plan; absent (default): keyless and unthrottled. */
  readonly apiUsagePlan?: UsagePlanSettings;
  /** Execution environments per function (Lambda concurrency). Default 4, or the topology's reserved concurrency if lower. */
  readonly concurrency?: number;
  /** Extra environment for a function (e.g. point it at a fault-injecting proxy); wins over the defaults. */
  readonly functionEnv?: (fn: FunctionId) => Record<string, string>;
  /** Consulted before every invocation: a returned error fails it without running the handler (fault tests). */
  readonly intercept?: (fn: FunctionId) => LambdaError | undefined;
  readonly invocationLog?: InvocationSink;
  /** Each stdout line of a function (its logs and EMF metrics); default: this process's stdout. */
  readonly functionOutput?: (fn: FunctionId, line: string) => void;
  /** Told of every request the API twin answered (status and latency). */
  readonly onApiResponse?: ApiTwinOptions['onResponse'];
  readonly log?: (line: string) => void;
  /** Backoff between ESM retries (default 100 ms doubling to 1 s). */
  readonly retryBackoff?: Backoff;
  /** Saga deadlines (tests use seconds); default: SAGA_* env vars, then the topology's defaults. */
  readonly sagaDeadlines?: Partial<SagaDeadlines>;
  /** Other builds of consumers, each run beside its function in the same consumer groups. */
  readonly consumerBuilds?: readonly ConsumerBuild[];
}

/**
 * Another build of a Kafka consumer (mixed versions in flight: a deploy rolling out, or an older build
 * still running): the function's environment and Kafka mappings, a mapping twin of its own in each of the
 * function's consumer groups, so Kafka splits the partitions between the builds.
 */
export interface ConsumerBuild {
  readonly function: FunctionId;
  /** Its handler module, relative to the repository root (e.g. a fixture built with fewer schema versions). */
  readonly entry: string;
  /** Its physical name is `<function's name>-<suffix>`: what its invocation log lines carry. */
  readonly suffix: string;
}

export interface Pipeline {
  readonly apiUrl: string;
  readonly names: ProvisionedNames;
  readonly endpoints: LocalEndpoints;
  readonly functions: ReadonlyMap<FunctionId, LocalFunction>;
  readonly sagaDeadlines: SagaDeadlines;
  /** The registry twin's schema version ids (what the functions resolve record headers with). */
  readonly schemaVersionIds: SchemaVersionIds;
  /** One timer twin per topology schedule, by schedule id. */
  readonly schedules: ReadonlyMap<string, ScheduleTwin>;
  /** Resolves when no record is waiting or in flight in any mapping. */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const endpoints = options.endpoints ?? endpointsFromEnv();
  const log = options.log ?? (() => {});
  const { names, streamArns, schemaVersionIds } = await provision({ endpoints, prefix: options.prefix ?? '', log });
  const bootstrapPath = await runtimeBootstrap();
  const sagaDeadlines = deadlinesFor(options.sagaDeadlines);
  const ids = Object.keys(functions) as FunctionId[];
  const started: { stop(): Promise<void> }[] = [];
  try {
    const fns = new Map<FunctionId, LocalFunction>();
    const startFunction = async (id: FunctionId, entry: string, name: string): Promise<LocalFunction> => {
      const spec = functions[id];
      const bundlePath = await bundleFunction({ entry, name });
      const fn = new LocalFunction({
        name,
        bundlePath,
        bootstrapPath,
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        threadName: id, // every FunctionId fits Linux's 15 characters
        concurrency: Math.min(options.concurrency ?? 4, spec.reservedConcurrency ?? Number.POSITIVE_INFINITY),
        region: endpoints.region,
        accountId: endpoints.accountId,
        environment: {
          ...lambdaRuntimeEnv({ functionName: name, memoryMb: spec.memoryMb, region: endpoints.region, bundlePath }),
          ...endpointEnv(endpoints),
          ...functionEnvironment(id, names, sagaDeadlines),
          ...(usesSchemaRegistry(id) ? { [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(schemaVersionIds.toMap()) } : {}),
          ...options.functionEnv?.(id),
        },
        ...(options.invocationLog ? { log: options.invocationLog } : {}),
        ...(options.functionOutput ? { output: (line: string) => options.functionOutput?.(id, line) } : {}),
        ...(options.intercept ? { intercept: () => options.intercept?.(id) } : {}),
      });
      started.push(fn);
      return fn;
    };
    await Promise.all(
      ids.map(async (id) => fns.set(id, await startFunction(id, functions[id].entry, names.functionName(id)))),
    );
    const builds = await Promise.all(
      (options.consumerBuilds ?? []).map(async (build) => ({
        build,
        fn: await startFunction(build.function, build.entry, `${names.functionName(build.function)}-${build.suffix}`),
      })),
    );
    const fnOf = (id: FunctionId) => fns.get(id) as LocalFunction;
    const sqs = new SQSClient(clientConfig(endpoints, endpoints.sqs));

    const streamEsms = streamMappings.map((mapping) => {
      const streamArn = streamArns.get(mapping.table);
      if (!streamArn) throw new Error(`${mapping.id}: table ${mapping.table} has no stream`);
      return new StreamEsm({
        mapping,
        streamArn,
        fn: fnOf(mapping.function),
        failureQueueUrl: names.queueUrl(mapping.onFailureQueue),
        endpoints,
        sqs,
        ...(options.retryBackoff ? { backoff: options.retryBackoff } : {}),
        log,
      });
    });
    const kafkaTargets = [
      ...kafkaMappings.map((mapping) => ({ mapping, fn: fnOf(mapping.function) })),
      ...builds.flatMap(({ build, fn }) =>
        kafkaMappings.filter((m) => m.function === build.function).map((mapping) => ({ mapping, fn })),
      ),
    ];
    const kafkaEsms = kafkaTargets.map(
      ({ mapping, fn }) =>
        new KafkaEsm({
          mapping,
          topic: names.topic(mapping.topic),
          groupId: names.consumerGroup(mapping),
          brokers: endpoints.kafkaBrokers,
          fn,
          failureQueueUrl: names.queueUrl(mapping.onFailureQueue),
          sqs,
          region: endpoints.region,
          accountId: endpoints.accountId,
          ...(options.retryBackoff ? { backoff: options.retryBackoff } : {}),
          log,
        }),
    );
    for (const esm of [...streamEsms, ...kafkaEsms]) {
      await esm.start();
      started.push(esm);
    }
    const timers = new Map<string, ScheduleTwin>();
    for (const schedule of schedules) {
      const timer = new ScheduleTwin({
        schedule,
        fn: fnOf(schedule.function),
        everyMs: sagaDeadlines[schedule.period] * 1000,
        region: endpoints.region,
        accountId: endpoints.accountId,
        log,
      });
      await timer.start();
      started.push(timer);
      timers.set(schedule.id, timer);
    }
    const api: ApiTwin = await startApiTwin({
      host: options.apiHost ?? '127.0.0.1',
      port: options.apiPort ?? 3000,
      accountId: endpoints.accountId,
      invoke: (event: APIGatewayProxyEvent) => {
        const traced = withTraceHeader(event);
        return fnOf('order-api').invoke(traced.event, {
          trigger: 'api',
          traceHeader: traced.traceHeader,
          hops: apiHops(event, traced.traceHeader),
        });
      },
      ...(options.apiUsagePlan ? { usagePlan: options.apiUsagePlan } : {}),
      ...(options.onApiResponse ? { onResponse: options.onApiResponse } : {}),
    });
    started.push({ stop: () => api.close() });

    return {
      apiUrl: api.url,
      names,
      endpoints,
      functions: fns,
      sagaDeadlines,
      schemaVersionIds,
      schedules: timers,
      async idle(timeoutMs = 30_000) {
        await Promise.all([...streamEsms, ...kafkaEsms].map((e) => e.idle(timeoutMs)));
      },
      stop: () => stopAll(started),
    };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

/** Explicit options win, then SAGA_* env vars (`npm start`), then the topology's defaults. */
function deadlinesFor(explicit: Partial<SagaDeadlines> | undefined): SagaDeadlines {
  const keys = Object.keys(SAGA_DEADLINE_ENV) as (keyof SagaDeadlines)[];
  return resolveSagaDeadlines(
    Object.fromEntries(keys.map((k) => [k, explicit?.[k] ?? process.env[SAGA_DEADLINE_ENV[k]]])),
    (k) => (explicit?.[k] !== undefined ? `sagaDeadlines.${k}` : `environment variable ${SAGA_DEADLINE_ENV[k]}`),
  );
}

/** Stops in reverse start order: the API first, then the mappings (draining), then the functions. */
async function stopAll(started: { stop(): Promise<void> }[]): Promise<void> {
  for (const s of started.splice(0).reverse()) {
    await s.stop().catch(() => undefined);
  }
}
