/**
 * Physical names of the local copy of the topology: the topology's names, optionally prefixed so a test
 * can provision an isolated copy (`t1234-orders`) next to the developer's pipeline on the same servers.
 */
import {
  type FunctionId,
  type KafkaMappingSpec,
  type QueueId,
  queues,
  type ResolvedNames,
  type TableId,
  type TopicId,
  tables,
  topics,
} from '../../lib/topology';

export interface LocalNames {
  readonly prefix: string;
  readonly table: (t: TableId) => string;
  readonly queueName: (q: QueueId) => string;
  readonly topic: (t: TopicId) => string;
  readonly consumerGroup: (m: KafkaMappingSpec) => string;
  readonly functionName: (fn: FunctionId) => string;
}

/** Names plus the queue URLs the SQS server assigned: what `functionEnvironment` needs. */
export interface ProvisionedNames extends LocalNames, ResolvedNames {
  readonly queueUrl: (q: QueueId) => string;
  readonly topic: (t: TopicId) => string;
}

const PREFIX = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function localNames(prefix = ''): LocalNames {
  if (prefix !== '' && !PREFIX.test(prefix)) {
    throw new Error(
      `invalid name prefix "${prefix}": use lower-case letters, digits and '-', at most 31 characters, e.g. "t1234-"`,
    );
  }
  return {
    prefix,
    table: (t) => `${prefix}${tables[t].name}`,
    queueName: (q) => `${prefix}${queues[q].name}`,
    topic: (t) => `${prefix}${topics[t].name}`,
    consumerGroup: (m) => `${prefix}${m.consumerGroupId}`,
    functionName: (fn) => `${prefix}${fn}`,
  };
}

export function withQueueUrls(names: LocalNames, urls: ReadonlyMap<QueueId, string>): ProvisionedNames {
  return {
    ...names,
    queueUrl: (q) => {
      const url = urls.get(q);
      if (!url) throw new Error(`queue ${q} was not provisioned`);
      return url;
    },
  };
}
