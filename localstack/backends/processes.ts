/**
 * Server processes this checkout owns: started detached (they outlive the command that started
 * them), remembered in a pid file, and stopped only when the pid still belongs to the server we
 * started (its command line carries our state directory), so a recycled pid is never killed.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './ports';

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

export interface PidRecord {
  readonly pid: number;
  readonly startedAt: string;
  /** A string the process's command line contains (the server's state directory). */
  readonly marker: string;
}

const pidFile = (dir: string) => join(dir, 'server.pid');
export const logFile = (dir: string) => join(dir, 'server.log');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A zombie (exited, not yet reaped by its parent) is not a running server.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill(0) is all we have
  }
}

/** The pid record when the process it names is alive and is still our server; else undefined. */
function ownedProcess(dir: string): PidRecord | undefined {
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile(dir), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(record.pid) || !alive(record.pid)) return undefined;
  const cmd = commandLine(record.pid);
  return cmd === undefined || cmd.includes(record.marker) ? record : undefined;
}

/**
 * The pid record of our live server (as ownedProcess), read once; a pid file whose process is gone (the
 * server was killed or crashed) is removed.
 */
export function clearStalePid(dir: string): PidRecord | undefined {
  const owned = ownedProcess(dir);
  if (!owned) rmSync(pidFile(dir), { force: true });
  return owned;
}

export interface Launched {
  readonly pid: number;
  /** Resolves with the exit description if the process ends (used to fail readiness early). */
  readonly exited: Promise<string>;
}

/** Starts the server detached, output to server.log (the previous log kept as server.log.1). */
export function launch(dir: string, spec: LaunchSpec, marker: string): Launched {
  const log = logFile(dir);
  if (existsSync(log)) renameSync(log, `${log}.1`);
  const fd = openSync(log, 'a');
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.once('error', (e) => resolveExit(e.message));
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  const record: PidRecord = { pid: child.pid, startedAt: new Date().toISOString(), marker };
  writeFileSync(pidFile(dir), `${JSON.stringify(record)}\n`);
  return { pid: child.pid, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM (clean shutdown), then SIGKILL after the grace period. Returns the pid record of the server it
 * stopped; undefined when none was running (a stale pid file is removed).
 */
export async function terminate(dir: string, graceMs = 30_000): Promise<PidRecord | undefined> {
  const record = clearStalePid(dir);
  if (!record) return undefined;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(record.pid) && Date.now() < deadline) await sleep(200);
  if (alive(record.pid)) {
    process.kill(record.pid, 'SIGKILL');
    while (alive(record.pid)) await sleep(100);
  }
  rmSync(pidFile(dir), { force: true });
  return record;
}

/** The last lines of a server's log, for an error message. */
export function logTail(dir: string, lines = 15): string {
  try {
    return readFileSync(logFile(dir), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
