/**
 * npm run backends:start | backends:stop | backends:status | backends:env | backends:clean
 * (`tsx localstack/backends/cli.ts <command> [kafka|dynamodb|sqs ...]`)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { backendIds } from './config';
import {
  type BackendId,
  backendEnv,
  backendSettings,
  backendStatus,
  isBackendError,
  type ServerStatus,
  startBackends,
  stopBackends,
} from './index';

const USAGE = `usage: tsx localstack/backends/cli.ts <start|stop|status|env|clean> [${backendIds.join('|')} ...]
  start   start the servers that are not running (no-op for running ones), wait until they answer
  stop    stop the servers this checkout started
  status  show what runs where (exit 1 if any is not answering)
  env     print the environment that points clients at them (eval "$(npm run -s backends:env)")
  clean   delete Kafka's data (servers must be stopped)`;

function describe(st: ServerStatus): string {
  const what: Record<ServerStatus['state'], string> = {
    running: `running (pid ${st.pid})`,
    external: 'running, not started by this checkout (reused, never stopped from here)',
    'not-ready': `started (pid ${st.pid}) but not answering — see ${st.log}`,
    'port-taken': `PORT TAKEN: ${st.detail}`,
    stopped: 'stopped',
  };
  return `  ${st.id.padEnd(9)} ${st.endpoint.padEnd(24)} ${what[st.state]}`;
}

function printEnv(env: Record<string, string>): void {
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const unknown = rest.filter((id) => !backendIds.includes(id as BackendId));
  if (unknown.length > 0) {
    console.error(`unknown server ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const only = rest.length > 0 ? (rest as BackendId[]) : undefined;
  switch (command) {
    case 'start': {
      const t0 = Date.now();
      const result = await startBackends({ only });
      console.log(`local backends ready in ${((Date.now() - t0) / 1000).toFixed(1)} s:`);
      for (const st of result.servers) console.log(`${describe(st)}${st.action === 'started' ? ' [started now]' : ''}`);
      console.log('\nenvironment for clients:');
      printEnv(result.env);
      return 0;
    }
    case 'stop': {
      const stopped = await stopBackends({ only });
      if (stopped.length === 0)
        console.log('backends: nothing to stop (no server started by this checkout is running)');
      return 0;
    }
    case 'status': {
      const statuses = await backendStatus({ only });
      for (const st of statuses) console.log(describe(st));
      return statuses.every((st) => st.state === 'running' || st.state === 'external') ? 0 : 1;
    }
    case 'env':
      printEnv(backendEnv());
      return 0;
    case 'clean': {
      const statuses = await backendStatus({ only: ['kafka'] });
      if (statuses.some((st) => st.state === 'running' || st.state === 'not-ready')) {
        console.error('Kafka is running: `npm run backends:stop` first.');
        return 1;
      }
      const data = join(backendSettings().stateDir, 'kafka', 'data');
      rmSync(data, { recursive: true, force: true });
      console.log(`removed ${data}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (isBackendError(e)) console.error(`\n✖ ${e.message}`);
    else console.error('\n✖ unexpected error (a bug in localstack/backends):', e);
    process.exit(1);
  },
);
