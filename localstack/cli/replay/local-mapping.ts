/**
 * A replay's temporary mapping on the local servers: the function bundled and run Lambda-style in this
 * process (its own execution environments, the environment the runner gives it, the same tables and
 * queues as the running pipeline) behind a Kafka mapping twin in the replay's own consumer group. The
 * pipeline's live mapping and its group are not touched; stopping removes the mapping.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SCHEMA_VERSION_IDS_ENV } from '../../../functions/shared/schema-ids';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  type KafkaMappingSpec,
  type QueueId,
} from '../../../lib/topology';
import { clientConfig, endpointEnv, type LocalEndpoints } from '../../runner/endpoints';
import { KafkaEsm } from '../../runner/kafka/kafka-esm';
import { bundleFunction, runtimeBootstrap } from '../../runner/lambda/bundle';
import { lambdaRuntimeEnv } from '../../runner/lambda/environment';
import { LocalFunction } from '../../runner/lambda/local-function';
import { resolveQueue, type Target } from '../target';

export interface TemporaryMapping {
  readonly groupId: string;
  /** Records delivered to the function and invocations made so far. */
  readonly delivered: () => { records: number; invocations: number; failedInvocations: number };
  readonly remove: () => Promise<void>;
}

export async function startLocalReplayMapping(
  target: Target,
  endpoints: LocalEndpoints,
  fnId: FunctionId,
  mapping: KafkaMappingSpec,
  log: (line: string) => void,
): Promise<TemporaryMapping> {
  const spec = functions[fnId];
  const names = target.names;
  const queueUrls = new Map<QueueId, string>();
  for (const q of new Set([mapping.onFailureQueue, ...(spec.deadLetterQueue ? [spec.deadLetterQueue] : [])])) {
    queueUrls.set(q, (await resolveQueue(target, q)).url);
  }
  const queueUrl = (q: QueueId) => queueUrls.get(q) as string;
  const schemaIds = await target.schemaVersionIds();
  const name = names.functionName(fnId);
  const bundlePath = await bundleFunction({ entry: spec.entry, name: `${name}-replay` });
  const fn = new LocalFunction({
    name,
    bundlePath,
    bootstrapPath: await runtimeBootstrap(),
    timeoutSeconds: spec.timeoutSeconds,
    memoryMb: spec.memoryMb,
    concurrency: 2,
    region: endpoints.region,
    accountId: endpoints.accountId,
    environment: {
      ...lambdaRuntimeEnv({ functionName: name, memoryMb: spec.memoryMb, region: endpoints.region, bundlePath }),
      ...endpointEnv(endpoints),
      ...functionEnvironment(fnId, { table: names.table, queueUrl, topic: names.topic }),
      [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(schemaIds.toMap()),
    },
  });
  const counts = { records: 0, invocations: 0, failedInvocations: 0 };
  const sqs = new SQSClient(clientConfig(endpoints, endpoints.sqs));
  const groupId = `${names.prefix}${mapping.consumerGroupId}`;
  const esm = new KafkaEsm({
    mapping,
    topic: names.topic(mapping.topic),
    groupId,
    brokers: endpoints.kafkaBrokers,
    fn: {
      arn: fn.arn,
      invoke: async (event, meta) => {
        const outcome = await fn.invoke(event, meta);
        const records = Object.values((event as { records?: Record<string, unknown[]> }).records ?? {});
        counts.records += records.reduce((n, rs) => n + rs.length, 0);
        counts.invocations += 1;
        if (!outcome.ok) counts.failedInvocations += 1;
        return outcome;
      },
    },
    failureQueueUrl: queueUrl(mapping.onFailureQueue),
    sqs,
    region: endpoints.region,
    accountId: endpoints.accountId,
    log,
  });
  try {
    await esm.start();
  } catch (err) {
    await fn.stop();
    sqs.destroy();
    throw err;
  }
  return {
    groupId,
    delivered: () => ({ ...counts }),
    remove: async () => {
      await esm.stop();
      await fn.stop();
      sqs.destroy();
    },
  };
}
