/**
 * Local backends: real Kafka (KRaft), DynamoDB Local and ElasticMQ, without Docker.
 *
 *   startBackends()  starts what is not running (no-op for running ones), waits for real API answers
 *   stopBackends()   stops the servers this checkout started (pid files), never anything else
 *   backendStatus()  what runs where
 *   backendEnv()     the AWS SDK / kafkajs environment pointing at them
 */

import { type BackendId, type BackendSettings, backendEnv, backendIds, backendSettings } from './config';
import { dynamoDbServer } from './dynamodb';
import { elasticMqServer } from './elasticmq';
import { BackendError } from './errors';
import { kafkaServer } from './kafka';
import { withLock } from './lock';
import { describeHolders, isListening } from './ports';
import { clearStalePid, type Launched, launch, logFile, logTail, terminate } from './processes';
import { type BackendServer, ownerMarker } from './server';

export type { BackendId, BackendSettings } from './config';
export { backendEnv, backendSettings, endpoints, settingVars } from './config';
export { BackendError, isBackendError } from './errors';

export type ServerState =
  /** Started by this checkout and answering. */
  | 'running'
  /** Answering, but not started by this checkout (another checkout, or by hand): reused, never stopped. */
  | 'external'
  /** Started by this checkout but not answering (still starting, or hung). */
  | 'not-ready'
  /** Its port is held by something that does not answer as this server. */
  | 'port-taken'
  | 'stopped';

export interface ServerStatus {
  readonly id: BackendId;
  readonly title: string;
  readonly endpoint: string;
  readonly state: ServerState;
  readonly pid?: number;
  readonly detail?: string;
  readonly log: string;
}

export interface StartResult {
  readonly servers: readonly (ServerStatus & { readonly action: 'started' | 'already running' | 'reused' })[];
  /** Servers this call started (the ones a test run should stop again). */
  readonly started: readonly BackendId[];
  readonly env: Record<string, string>;
}

export interface BackendOptions {
  readonly settings?: BackendSettings;
  /** Restrict to some servers (default: all three). */
  readonly only?: readonly BackendId[];
  readonly log?: (line: string) => void;
}

const defaultLog = (line: string) => console.log(`backends: ${line}`);

function backendServers(s: BackendSettings = backendSettings()): BackendServer[] {
  return [kafkaServer(s), dynamoDbServer(s), elasticMqServer(s)];
}

function selected(opts: BackendOptions): { settings: BackendSettings; servers: BackendServer[] } {
  const settings = opts.settings ?? backendSettings();
  const only = opts.only ?? backendIds;
  return { settings, servers: backendServers(settings).filter((srv) => only.includes(srv.id)) };
}

const answers = (server: BackendServer) =>
  server.probe().then(
    () => true,
    () => false,
  );

async function inspect(server: BackendServer, host: string): Promise<ServerStatus> {
  const owned = clearStalePid(server.dir);
  const base = { id: server.id, title: server.title, endpoint: server.endpoint, log: logFile(server.dir) };
  const ok = await answers(server);
  if (owned) return { ...base, state: ok ? 'running' : 'not-ready', pid: owned.pid };
  if (ok) return { ...base, state: 'external' };
  for (const p of server.ports) {
    if (await isListening(host, p.port)) {
      return {
        ...base,
        state: 'port-taken',
        detail:
          `port ${p.port} (${p.role}) on ${host} is in use by ${describeHolders(p.port)}, which does not answer as ` +
          `${server.title}. Stop that process, or move this server: ${p.envVar}=<free port> npm start`,
      };
    }
  }
  return { ...base, state: 'stopped' };
}

export async function backendStatus(opts: BackendOptions = {}): Promise<ServerStatus[]> {
  const { settings, servers } = selected(opts);
  return Promise.all(servers.map((srv) => inspect(srv, settings.host)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the server's real API until it answers; fails early if the process exits. */
async function waitReady(server: BackendServer, launched: Launched | undefined): Promise<void> {
  let exit: string | undefined;
  launched?.exited.then((how) => {
    exit = how;
  });
  const deadline = Date.now() + server.startTimeoutMs;
  for (;;) {
    if (await answers(server)) return;
    if (exit !== undefined) {
      throw new BackendError(
        `${server.title} exited during startup (${exit}). Last lines of ${logFile(server.dir)}:\n${logTail(server.dir)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new BackendError(
        `${server.title} did not answer at ${server.endpoint} within ${server.startTimeoutMs / 1000} s. ` +
          `Last lines of ${logFile(server.dir)}:\n${logTail(server.dir)}\n` +
          'Stop it with `npm run backends:stop` and try again.',
      );
    }
    await sleep(500);
  }
}

export function startBackends(opts: BackendOptions = {}): Promise<StartResult> {
  const { settings, servers } = selected(opts);
  const log = opts.log ?? defaultLog;
  return withLock(settings.stateDir, async () => {
    const statuses = await Promise.all(servers.map((srv) => inspect(srv, settings.host)));
    const blocked = statuses.filter((st) => st.state === 'port-taken');
    if (blocked.length > 0) throw new BackendError(blocked.map((b) => `${b.title}: ${b.detail}`).join('\n'));

    const toStart = servers.filter((_, i) => statuses[i]?.state === 'stopped');
    const started: BackendId[] = [];
    try {
      // Downloads run one at a time (Maven shares its local repository); the JVMs then boot in parallel.
      const launches = toStart.map((srv) => {
        const spec = srv.prepare(log);
        log(`starting ${srv.title} on ${srv.endpoint} (log: ${logFile(srv.dir)})`);
        const launched = launch(srv.dir, spec, ownerMarker(srv.dir));
        started.push(srv.id);
        return { srv, launched };
      });
      const waits = launches.map(({ srv, launched }) => waitReady(srv, launched));
      // A server left half-started by an interrupted run: give it the same time to come up.
      for (const [i, st] of statuses.entries()) {
        if (st.state === 'not-ready') waits.push(waitReady(servers[i] as BackendServer, undefined));
      }
      const results = await Promise.allSettled(waits);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failures.length > 0) throw failures[0]?.reason;
    } catch (e) {
      if (started.length > 0) {
        log(`stopping what this start launched (${started.join(', ')}) after the failure`);
        await Promise.all(servers.filter((srv) => started.includes(srv.id)).map((srv) => terminate(srv.dir, 10_000)));
      }
      throw e;
    }

    const final = await Promise.all(servers.map((srv) => inspect(srv, settings.host)));
    return {
      servers: final.map((st) => ({
        ...st,
        action: started.includes(st.id) ? 'started' : st.state === 'external' ? 'reused' : 'already running',
      })),
      started,
      env: backendEnv(settings),
    };
  });
}

/** Stops the servers this checkout started (all, or `only`). Returns the ids it stopped. */
export function stopBackends(opts: BackendOptions = {}): Promise<BackendId[]> {
  const { settings, servers } = selected(opts);
  const log = opts.log ?? defaultLog;
  return withLock(settings.stateDir, async () => {
    const stopped = await Promise.all(
      servers.map(async (srv) => {
        const stopped = await terminate(srv.dir);
        if (!stopped) return undefined;
        log(`stopped ${srv.title} (pid ${stopped.pid})`);
        return srv.id;
      }),
    );
    return stopped.filter((id): id is BackendId => id !== undefined);
  });
}
