/**
 * Is a TCP port taken, and by whom? Used to refuse starting a server on a port something else
 * holds, naming that process instead of letting the JVM die with a BindException.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';

/** True when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolveListening) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolveListening(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

/** The command line of a process, or undefined when it is gone or not readable. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    const out = ps.status === 0 ? ps.stdout.trim() : '';
    return out || undefined;
  }
}

/** Pids listening on the port according to `ss` (iproute2), if available. */
function pidsFromSs(port: number): number[] | undefined {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return [...r.stdout.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
}

function socketInode(fdPath: string): string {
  try {
    return readlinkSync(fdPath).replace(/^socket:\[(\d+)\]$/, '$1');
  } catch {
    return ''; // fd closed meanwhile
  }
}

/** Pids listening on the port found through /proc (Linux without ss). */
function pidsFromProc(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] = local "ADDR:PORT" (hex), f[3] = state (0A = LISTEN), f[9] = socket inode
      if (f.length > 9 && f[3] === '0A' && Number.parseInt(f[1]?.split(':')[1] ?? '', 16) === port) {
        inodes.add(f[9] as string);
      }
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fds = readdirSync(`/proc/${entry}/fd`);
      if (fds.some((fd) => inodes.has(socketInode(`/proc/${entry}/fd/${fd}`)))) pids.push(Number(entry));
    } catch {
      // process gone or not ours to inspect
    }
  }
  return pids;
}

/** Who listens on the port (empty when nobody does or it cannot be determined). */
export function portHolders(port: number): PortHolder[] {
  let pids = pidsFromSs(port);
  if (pids === undefined || pids.length === 0) {
    try {
      pids = pidsFromProc(port);
    } catch {
      pids = [];
    }
  }
  return [...new Set(pids)].map((pid) => ({ pid, command: commandLine(pid) ?? '(command unknown)' }));
}

/** "pid 123 (java -cp ...)" for an error message, shortened to stay readable. */
export function describeHolders(port: number): string {
  const holders = portHolders(port);
  if (holders.length === 0) return 'a process this user cannot identify (try `ss -ltnp` or `lsof -i`)';
  return holders
    .map((h) => `pid ${h.pid} (${h.command.length > 160 ? `${h.command.slice(0, 157)}...` : h.command})`)
    .join(', ');
}
