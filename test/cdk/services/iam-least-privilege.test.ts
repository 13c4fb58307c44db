/**
 * Least privilege in the services stack: no action wildcards, Kafka data-plane rights scoped to each
 * function's own cluster, topics and groups, and each function's dead-letter queue only. (DynamoDB:
 * table-access.test.ts; replay groups: ../replay-access.test.ts.)
 */
import {
  CONSUMER_CLUSTER_ACTIONS,
  CONSUMER_GROUP_ACTIONS,
  CONSUMER_TOPIC_ACTIONS,
  PRODUCER_CLUSTER_ACTIONS,
  PRODUCER_TOPIC_ACTIONS,
} from '../../../lib/services/kafka-access';
import { type FunctionId, functions, kafkaMappings, type QueueId, replayGroupId, topics } from '../../../lib/topology';
import { actionsOf, resourcesOfStatement, type Statement, synthPipeline } from '../support';

const pipeline = synthPipeline();
const { stacks, logicalIds } = pipeline;
const functionIds = Object.keys(functions) as FunctionId[];
const clusterExport = () => `${stacks.streaming.getLogicalId(stacks.streaming.cluster.cluster)}Arn`;

/** The literal tail of a Kafka ARN built by Fn::Join (…/<topic or group>), and its resource type. */
function kafkaResource(resource: unknown): { type: string; name: string } | undefined {
  const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1];
  if (!parts) return undefined;
  const literals = parts.filter((p): p is string => typeof p === 'string');
  const type = literals.find((l) => /^:(topic|group)\/$/.test(l))?.slice(1, -1);
  const name = literals.at(-1)?.slice(1);
  return type && name ? { type, name } : undefined;
}

const statementsWith = (f: FunctionId, action: string): Statement[] =>
  pipeline.roleStatements(f).filter((s) => actionsOf(s).includes(action));

describe('Services stack: IAM least privilege', () => {
  // X-Ray's trace upload (active tracing) has no resource-level permissions, nor has ListStreams.
  const UNSCOPED = [['dynamodb:ListStreams'], ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']];
  it.each(functionIds)('%s: no action wildcards, "*" resources only for ListStreams and X-Ray uploads', (f) => {
    for (const s of pipeline.roleStatements(f)) {
      for (const action of actionsOf(s)) expect(action).not.toMatch(/\*/);
      if (resourcesOfStatement(s).includes('*')) expect(UNSCOPED).toContainEqual(actionsOf(s).sort());
    }
  });

  it.each(functionIds)('%s: Kafka data-plane rights scoped to its cluster, topics and groups', (f) => {
    const consumed = kafkaMappings.filter((m) => m.function === f);
    const produces = functions[f].kafkaProducer === true;
    const producedTopics = [
      ...new Set(Object.values(functions).flatMap((s) => (s.outboxTopic ? [topics[s.outboxTopic].name] : []))),
    ];

    const namesFor = (action: string, type: string) =>
      statementsWith(f, action)
        .flatMap(resourcesOfStatement)
        .map(kafkaResource)
        .filter((r) => r?.type === type)
        .map((r) => r?.name)
        .sort();
    const onCluster = (action: string) =>
      statementsWith(f, action).some((s) =>
        resourcesOfStatement(s).some((r) => JSON.stringify(r).includes(clusterExport()) && !kafkaResource(r)),
      );

    for (const a of CONSUMER_TOPIC_ACTIONS.filter((x) => x !== 'kafka-cluster:DescribeTopic')) {
      expect(namesFor(a, 'topic')).toEqual([...new Set(consumed.map((m) => topics[m.topic].name))].sort());
    }
    // Its live groups, and its own replay groups (test/cdk/replay-access.test.ts).
    for (const a of CONSUMER_GROUP_ACTIONS)
      expect(namesFor(a, 'group')).toEqual(
        [...consumed.map((m) => m.consumerGroupId), ...consumed.map((m) => replayGroupId(f, m.topic))].sort(),
      );
    for (const a of PRODUCER_TOPIC_ACTIONS.filter((x) => x !== 'kafka-cluster:DescribeTopic')) {
      expect(namesFor(a, 'topic')).toEqual(produces ? producedTopics.sort() : []);
    }
    const describable = [
      ...new Set([...consumed.map((m) => topics[m.topic].name), ...(produces ? producedTopics : [])]),
    ].sort();
    expect(namesFor('kafka-cluster:DescribeTopic', 'topic')).toEqual(describable);

    for (const a of CONSUMER_CLUSTER_ACTIONS)
      expect(onCluster(a)).toBe(consumed.length > 0 || (produces && PRODUCER_CLUSTER_ACTIONS.includes(a)));
    for (const a of PRODUCER_CLUSTER_ACTIONS.filter((x) => x !== 'kafka-cluster:Connect'))
      expect(onCluster(a)).toBe(produces);
    // Added by CDK for the ESM pollers; the relay's brokers are resolved at deploy time.
    expect(onCluster('kafka:GetBootstrapBrokers')).toBe(consumed.length > 0);
  });

  it.each(functionIds.filter((f) => functions[f].deadLetterQueue))(
    '%s: may send to its own dead-letter queue only',
    (f) => {
      const queueResources = statementsWith(f, 'sqs:SendMessage').flatMap(resourcesOfStatement);
      expect(queueResources).toEqual([
        { 'Fn::GetAtt': [logicalIds.deadLetterQueue(functions[f].deadLetterQueue as QueueId), 'Arn'] },
      ]);
    },
  );
});
