/**
 * What the ESM twin integration tests (localstack/runner/kafka, localstack/runner/streams) share: the
 * local endpoints and an SQS client for the failure queue, the backends checked before the file, and
 * clean-ups registered by each test's fixture, run last first after the test (failures ignored: a
 * half-made fixture must not hide the test's own failure).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, endpointsFromEnv, type LocalEndpoints } from '../../localstack/runner/endpoints';
import { requireBackends } from './backends';
import { useLocalBackends } from './isolated-resources';

export interface EsmTestRig {
  readonly endpoints: LocalEndpoints;
  readonly sqs: SQSClient;
  /** Runs `cleanup` after the current test. */
  afterTest(cleanup: () => Promise<void>): void;
}

export function useEsmTestRig(...backends: Parameters<typeof requireBackends>): EsmTestRig {
  useLocalBackends();
  const endpoints = endpointsFromEnv();
  const sqs = new SQSClient(clientConfig(endpoints, endpoints.sqs));
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(() => requireBackends(...backends));
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(() => sqs.destroy());
  return { endpoints, sqs, afterTest: (cleanup) => void cleanups.push(cleanup) };
}
