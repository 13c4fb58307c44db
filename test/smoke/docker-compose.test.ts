/**
 * The Docker alternative cannot run here (no Docker engine), so its shape is checked instead:
 * localstack/docker-compose.yml has the services, pinned images and ports the README promises, and
 * localstack/docker.env points the project's clients at exactly those ports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { backendEnv, backendSettings } from '../../localstack/backends/config';
import { applyBackendEnv } from '../support/backends';

interface ComposeService {
  image: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}

const dir = join(__dirname, '..', '..', 'localstack');
const compose = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

/** KEY=VALUE lines of an env file (comments and blank lines ignored). */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = (m[2] as string).trim();
  }
  return env;
}
const dockerEnv = readEnvFile(join(dir, 'docker.env'));

/** The host port a "host:port:container" or "port:container" mapping publishes for a container port. */
function hostPort(service: ComposeService, containerPort: number): number | undefined {
  for (const mapping of service.ports ?? []) {
    const parts = mapping.split(':');
    if (Number(parts[parts.length - 1]) === containerPort) return Number(parts[parts.length - 2]);
  }
  return undefined;
}

const flag = (service: ComposeService, name: string) => {
  const cmd = service.command ?? [];
  const i = cmd.indexOf(name);
  return i >= 0 ? cmd[i + 1] : undefined;
};

describe('localstack/docker-compose.yml', () => {
  test('has LocalStack, Redpanda and Redpanda Console with pinned image versions', () => {
    expect(Object.keys(services).sort()).toEqual(['console', 'localstack', 'redpanda']);
    for (const [name, service] of Object.entries(services)) {
      const tag = service.image.split(':').pop() ?? '';
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^v?\d+\.\d+\.\d+$/) });
    }
    expect(services.localstack?.image).toMatch(/^localstack\/localstack:/);
    expect(services.redpanda?.image).toMatch(/redpandadata\/redpanda:/);
    expect(services.console?.image).toMatch(/redpandadata\/console:/);
  });

  test('LocalStack takes its auth token from the environment and runs DynamoDB (+ Streams) and SQS on 4566', () => {
    const env = services.localstack?.environment ?? {};
    expect(env.LOCALSTACK_AUTH_TOKEN).toMatch(/^\$\{LOCALSTACK_AUTH_TOKEN[:?}]/);
    expect(env.SERVICES?.split(',')).toEqual(expect.arrayContaining(['dynamodb', 'dynamodbstreams', 'sqs']));
    expect(hostPort(services.localstack as ComposeService, 4566)).toBe(4566);
  });

  test('Redpanda runs in dev-container mode with an external listener on 19092 advertised as localhost:19092', () => {
    const redpanda = services.redpanda as ComposeService;
    expect(redpanda.command?.slice(0, 2)).toEqual(['redpanda', 'start']);
    expect(flag(redpanda, '--mode')).toBe('dev-container');
    expect(flag(redpanda, '--kafka-addr')?.split(',')).toContain('external://0.0.0.0:19092');
    expect(flag(redpanda, '--advertise-kafka-addr')?.split(',')).toEqual(
      expect.arrayContaining(['internal://redpanda:9092', 'external://localhost:19092']),
    );
    expect(flag(redpanda, '--set')).toBe('redpanda.auto_create_topics_enabled=false');
    expect(hostPort(redpanda, 19092)).toBe(19092);
  });

  test('Redpanda Console reads the internal listener and is published on 8080', () => {
    const ui = services.console as ComposeService;
    expect(ui.environment?.KAFKA_BROKERS).toBe('redpanda:9092');
    expect(hostPort(ui, 8080)).toBe(8080);
    expect(Object.keys(ui.depends_on ?? {})).toEqual(['redpanda']);
  });
});

describe('localstack/docker.env', () => {
  test('points the AWS SDK at LocalStack and kafkajs at the advertised Redpanda listener', () => {
    const localstackPort = hostPort(services.localstack as ComposeService, 4566);
    expect(dockerEnv.AWS_ENDPOINT_URL).toBe(`http://localhost:${localstackPort}`);
    const advertised = flag(services.redpanda as ComposeService, '--advertise-kafka-addr')
      ?.split(',')
      .find((a) => a.startsWith('external://'))
      ?.replace('external://', '');
    expect(dockerEnv.KAFKA_BROKERS).toBe(advertised);
    expect(Number(dockerEnv.KAFKA_BROKERS?.split(':')[1])).toBe(hostPort(services.redpanda as ComposeService, 19092));
  });

  test('sets everything the Docker-free backends set, with one AWS_ENDPOINT_URL instead of per-service ones', () => {
    const local = Object.keys(backendEnv(backendSettings({})));
    const needed = local.filter((k) => !k.startsWith('AWS_ENDPOINT_URL_'));
    expect(Object.keys(dockerEnv)).toEqual(expect.arrayContaining([...needed, 'AWS_ENDPOINT_URL']));
    expect(dockerEnv.AWS_REGION).toBe(backendEnv(backendSettings({})).AWS_REGION);
  });

  test('loaded into a test run, it is not overridden by the local defaults', () => {
    const env: NodeJS.ProcessEnv = { ...dockerEnv };
    applyBackendEnv(env);
    expect(env).toEqual(dockerEnv);
  });
});
