/**
 * This Node process's CPU split by OS thread name, from /proc/self/task (Linux). The runner names each
 * execution environment's thread after its function (bootstrap.ts), so the split says which function
 * the CPU went to; the main thread (the runner's twins and the load generator) keeps Node's name, and
 * Node's helper threads (libuv's pool, V8's platform workers for GC and compilation) are grouped by name.
 * Exact accounting from the kernel, unlike a sampling profile's shares, which overstate under contention.
 */
import { readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100; // clock ticks per second of utime/stime in /proc/<pid>/task/<tid>/stat

interface ThreadTicks {
  readonly name: string;
  readonly ticks: number;
}

function readThreads(taskDir: string): Map<string, ThreadTicks> {
  const threads = new Map<string, ThreadTicks>();
  let tids: string[];
  try {
    tids = readdirSync(taskDir);
  } catch {
    return threads; // not Linux: no split
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`${taskDir}/${tid}/comm`, 'utf8').trim();
      // Fields after the command (which may contain spaces and parentheses): utime is the 12th, stime the 13th.
      const stat = readFileSync(`${taskDir}/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      threads.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the thread ended between readdir and read: its CPU since the last snapshot is lost, as it would be
    }
  }
  return threads;
}

/**
 * Groups threads by name with the trailing numbers that tell a pool's threads apart dropped ("GC Thread"
 * for "GC Thread#0", "qtp" for Jetty's "qtp1434651019-17"); numbers inside a name stay ("C2 CompilerThre").
 */
export const threadGroup = (name: string): string => name.replace(/(?:[\s#_-]*\d+)+$/, '') || name;

/** Starts measuring; `stop()` gives average cores per thread group over the interval, largest first. */
export function threadCpuSampler(pid = process.pid): { stop(): Record<string, number> } {
  const taskDir = `/proc/${pid}/task`;
  const startedAt = process.hrtime.bigint();
  const before = readThreads(taskDir);
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const ticksByGroup = new Map<string, number>();
      for (const [tid, now] of readThreads(taskDir)) {
        // The process's first thread (tid = pid): for Node, the main thread; threads Node starts unnamed
        // (e.g. a worker that is not a function's) inherit its name and are grouped under that name.
        const group = tid === String(pid) ? 'main' : threadGroup(now.name);
        const used = now.ticks - (before.get(tid)?.ticks ?? 0);
        ticksByGroup.set(group, (ticksByGroup.get(group) ?? 0) + used);
      }
      const cores = [...ticksByGroup]
        .filter(([, ticks]) => ticks > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([group, ticks]) => [group, Number((ticks / USER_HZ / seconds).toFixed(3))] as const);
      return Object.fromEntries(cores);
    },
  };
}
