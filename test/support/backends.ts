/**
 * Helpers for integration and e2e tests: where the local servers are, and a clear failure when
 * they are not running. The endpoints come from the environment (`npm test` sets it; so does a
 * LocalStack/Redpanda env file), falling back to the defaults of localstack/backends.
 */
import { backendEnv, backendSettings } from '../../localstack/backends/config';
import { isListening } from '../../localstack/backends/ports';

/**
 * Fills in the local backends' variables the environment does not already set. With
 * AWS_ENDPOINT_URL set (LocalStack), the service-specific endpoints are left out so it applies.
 */
export function applyBackendEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(backendEnv(backendSettings(env)))) {
    if (env.AWS_ENDPOINT_URL && name.startsWith('AWS_ENDPOINT_URL_')) continue;
    if (env[name] === undefined || env[name] === '') env[name] = value;
  }
}

/** Kafka bootstrap brokers from KAFKA_BROKERS. */
export function kafkaBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.KAFKA_BROKERS ?? backendEnv(backendSettings(env)).KAFKA_BROKERS ?? '';
  return raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Endpoint an AWS SDK client of this service will use (service-specific variable first). */
function awsEndpoint(service: 'DYNAMODB' | 'SQS', env: NodeJS.ProcessEnv = process.env): string {
  const url = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  if (!url) throw new Error(`neither AWS_ENDPOINT_URL_${service} nor AWS_ENDPOINT_URL is set: call applyBackendEnv()`);
  return url;
}

function hostPort(target: string): { host: string; port: number } {
  const url = new URL(target.includes('://') ? target : `tcp://${target}`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

/**
 * Fails with instructions when a backend the test needs does not accept connections, instead of
 * letting every test time out one by one.
 */
export async function requireBackends(...needed: ('kafka' | 'dynamodb' | 'sqs')[]): Promise<void> {
  const targets = {
    kafka: () => kafkaBrokers()[0] ?? '',
    dynamodb: () => awsEndpoint('DYNAMODB'),
    sqs: () => awsEndpoint('SQS'),
  };
  const down: string[] = [];
  for (const id of needed) {
    const target = targets[id]();
    const { host, port } = hostPort(target);
    if (!(await isListening(host, port, 2000))) down.push(`${id} (${target})`);
  }
  if (down.length > 0) {
    throw new Error(
      `local backends not reachable: ${down.join(', ')}. Start them with \`npm run backends:start\` ` +
        '(`npm test` does this for you), or point KAFKA_BROKERS / AWS_ENDPOINT_URL_* at running servers.',
    );
  }
}
