/**
 * What the benchmarks count besides time: CPU per component (this Node process with its worker threads,
 * and each local server's process, from /proc), and Lambda invocations with their durations per function
 * (from the runner's invocation log).
 */
import { readFileSync } from 'node:fs';
import { type BackendId, backendStatus } from '../localstack/backends';
import type { InvocationRecord } from '../localstack/runner/lambda/invocation-log';
import { threadCpuSampler } from './thread-cpu';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command (which may contain spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ; // utime, stime
  } catch {
    return undefined;
  }
}

export type CpuSplit = Record<'node' | BackendId, number | null>;

/** Starts measuring CPU; `stop()` gives cores used on average per component over the interval. */
export async function cpuSampler(): Promise<{ stop(): CpuSplit }> {
  const servers = await backendStatus();
  const pids = new Map(servers.filter((s) => s.pid !== undefined).map((s) => [s.id, s.pid as number]));
  const startedAt = process.hrtime.bigint();
  const node0 = process.cpuUsage();
  const server0 = new Map([...pids].map(([id, pid]) => [id, processCpuSeconds(pid)]));
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const node = process.cpuUsage(node0);
      const split: CpuSplit = {
        node: round((node.user + node.system) / 1e6 / seconds),
        kafka: null,
        dynamodb: null,
        sqs: null,
      };
      for (const [id, pid] of pids) {
        const before = server0.get(id);
        const after = processCpuSeconds(pid);
        split[id] = before === undefined || after === undefined ? null : round((after - before) / seconds);
      }
      return split;
    },
  };
}

const round = (n: number) => Number(n.toFixed(2));

export interface InvocationStats {
  readonly sink: (r: InvocationRecord) => void;
  /** Start counting from now (drops what was recorded so far, e.g. a warm-up). */
  reset(): void;
  /** Per function (physical name → topology id by `idOf`): invocations, records, mean and p50 duration
   * (ms, wall time in the runner). */
  summary(
    idOf: (physicalName: string) => string,
  ): Record<string, { invocations: number; records: number; meanMs: number; p50Ms: number }>;
}

export function invocationStats(): InvocationStats {
  let records: InvocationRecord[] = [];
  return {
    sink: (r) => {
      if (!r.injected) records.push(r);
    },
    reset() {
      records = [];
    },
    summary(idOf) {
      const byFunction = new Map<string, InvocationRecord[]>();
      for (const r of records) {
        const fn = idOf(r.function);
        byFunction.set(fn, [...(byFunction.get(fn) ?? []), r]);
      }
      return Object.fromEntries(
        [...byFunction].map(([fn, rs]) => {
          const durations = rs.map((r) => r.durationMs).sort((a, b) => a - b);
          return [
            fn,
            {
              invocations: rs.length,
              records: rs.reduce((n, r) => n + (r.batchSize ?? 1), 0),
              meanMs: round(durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length)),
              p50Ms: round(durations[Math.floor(durations.length / 2)] ?? 0),
            },
          ];
        }),
      );
    },
  };
}

export interface ThreadSplit {
  /** This process by thread: each function's environments, the runner's main thread, Node's helpers. */
  readonly node: Record<string, number>;
  /** DynamoDB Local's JVM by thread: Jetty's request threads, the SQLite queue, the JIT compilers, GC. */
  readonly dynamodb: Record<string, number>;
}

/** Starts measuring CPU per thread (cores, by thread name) of this process and of DynamoDB Local. */
export async function threadSampler(): Promise<{ stop(): ThreadSplit }> {
  const dynamodbPid = (await backendStatus()).find((s) => s.id === 'dynamodb')?.pid;
  const node = threadCpuSampler();
  const dynamodb = dynamodbPid === undefined ? undefined : threadCpuSampler(dynamodbPid);
  return { stop: () => ({ node: node.stop(), dynamodb: dynamodb?.stop() ?? {} }) };
}
