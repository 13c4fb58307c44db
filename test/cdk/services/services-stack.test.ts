import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ESM_LIMITS } from '../../../lib/aws-limits';
import { deploymentNames } from '../../../lib/names';
import {
  CONSUMER_CLUSTER_ACTIONS,
  CONSUMER_GROUP_ACTIONS,
  CONSUMER_TOPIC_ACTIONS,
  PRODUCER_CLUSTER_ACTIONS,
  PRODUCER_TOPIC_ACTIONS,
} from '../../../lib/services/kafka-access';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  kafkaMappings,
  type QueueId,
  queues,
  replayGroupId,
  streamMappings,
  type TableId,
  topics,
  usesSchemaRegistry,
} from '../../../lib/topology';
import {
  actionsOf,
  resourcesOf,
  resourcesOfStatement,
  type Statement,
  statementsOfRole,
  synthPipeline,
} from '../support';

const pipeline = synthPipeline();
const { stacks } = pipeline;
const services = stacks.services;
const template: Template = pipeline.template(services);
const functionIds = Object.keys(functions) as FunctionId[];

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const fnLogicalId = (f: FunctionId) => logicalId(services, services.functions.get(f) as lambda.Function);
const roleLogicalId = (f: FunctionId) =>
  logicalId(services, (services.functions.get(f) as lambda.Function).role as iam.Role);
const queueLogicalId = (q: QueueId) => logicalId(services, services.deadLetterQueues.get(q) as never);
const tableLogicalId = (t: TableId) => logicalId(stacks.data, stacks.data.tables.get(t) as never);
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
  statementsOfRole(template, roleLogicalId(f)).filter((s) => actionsOf(s).includes(action));

const esms = () => Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));

describe('Services stack: functions', () => {
  it.each(functionIds)('%s: Node.js 22 on arm64, sized and timed from the topology', (f) => {
    const spec = functions[f];
    const fn = template.toJSON().Resources[fnLogicalId(f)];
    expect(fn.Type).toBe('AWS::Lambda::Function');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Handler: 'index.handler',
    });
    // No function reserves concurrency by default: a reservation fails in accounts with a small quota.
    expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    // Only the Kafka producer is in the VPC.
    expect(fn.Properties.VpcConfig !== undefined).toBe(spec.kafkaProducer === true);
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(pipeline.config.logRetentionDays);
  });

  it('reserves concurrency for the relay only when relayReservedConcurrency asks for it', () => {
    const opted = synthPipeline({ relayReservedConcurrency: '5' });
    const optedTemplate = opted.template(opted.stacks.services);
    const reserved = Object.values(resourcesOf(optedTemplate, 'AWS::Lambda::Function'))
      .filter((f) => f.Properties.ReservedConcurrentExecutions !== undefined)
      .map((f) => [f.Properties.Description, f.Properties.ReservedConcurrentExecutions]);
    expect(reserved).toEqual([[functions['outbox-relay'].description, 5]]);
  });

  it.each(functionIds)(
    '%s: environment is the topology environment (plus Kafka settings for the producer), source maps off',
    (f) => {
      const env = template.toJSON().Resources[fnLogicalId(f)].Properties.Environment.Variables as Record<
        string,
        unknown
      >;
      const expected = Object.keys(functionEnvironment(f, { table: (t) => t, queueUrl: (q) => q }));
      const extra = [
        ...(functions[f].kafkaProducer ? ['KAFKA_BROKERS', 'KAFKA_AUTH'] : []),
        // The Glue schema version ids (test/cdk/schema-version-ids.test.ts).
        ...(usesSchemaRegistry(f) ? ['SCHEMA_VERSION_IDS'] : []),
      ];
      // No NODE_OPTIONS: --enable-source-maps would parse the source map at every cold start.
      expect(Object.keys(env).sort()).toEqual([...expected, ...extra].sort());
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(f);
      const dlq = functions[f].deadLetterQueue;
      if (dlq) expect(env.DLQ_URL).toEqual({ Ref: queueLogicalId(dlq) });
      for (const t of Object.keys(functions[f].tables) as TableId[]) {
        expect(JSON.stringify(env[`${t.toUpperCase()}_TABLE`])).toContain(tableLogicalId(t));
      }
      if (functions[f].kafkaProducer) {
        expect(env.KAFKA_AUTH).toBe('iam');
        expect(JSON.stringify(env.KAFKA_BROKERS)).toContain('BootstrapBrokerStringSaslIam');
      }
    },
  );
});

describe('Services stack: Kafka event source mappings', () => {
  const kafkaEsms = () => esms().filter((e) => e.Properties.Topics !== undefined);

  it('creates exactly one ESM per topology Kafka mapping', () => {
    expect(kafkaEsms()).toHaveLength(kafkaMappings.length);
  });

  it('every Kafka mapping publishes its EventCount, ErrorCount and Kafka consumer metrics', () => {
    expect(kafkaEsms()).toHaveLength(kafkaMappings.length);
    for (const esm of kafkaEsms()) {
      expect(esm.Properties.MetricsConfig).toEqual({ Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] });
    }
  });

  it.each(kafkaMappings.map((m) => [m.id, m] as const))(
    '%s: provisioned mode, error handling and DLQ from the topology',
    (_, m) => {
      const [esm] = kafkaEsms().filter(
        (e) =>
          (e.Properties.AmazonManagedKafkaEventSourceConfig as { ConsumerGroupId: string }).ConsumerGroupId ===
          m.consumerGroupId,
      );
      expect(esm).toBeDefined();
      const p = esm?.Properties as Record<string, unknown>;
      expect(p.FunctionName).toEqual({ Ref: fnLogicalId(m.function) });
      expect(p.Topics).toEqual([topics[m.topic].name]);
      expect(JSON.stringify(p.EventSourceArn)).toContain(clusterExport());
      expect(p).toMatchObject({
        BatchSize: m.batchSize,
        StartingPosition: m.startingPosition,
        MaximumRetryAttempts: m.retryAttempts,
        BisectBatchOnFunctionError: m.bisectBatchOnError,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ProvisionedPollerConfig: {
          MinimumPollers: 1,
          MaximumPollers: topics[m.topic].partitions,
          PollerGroupName: deploymentNames(pipeline.config.prefix).pollerGroup,
        },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueLogicalId(m.onFailureQueue), 'Arn'] } } },
      });
      // Each mapping's own window; 0.5 s is MSK's default and cannot be written in whole seconds: it
      // must be left unset, not rounded.
      if (m.maxBatchingWindowSeconds === ESM_LIMITS.mskDefaultBatchingWindowSeconds) {
        expect(p).not.toHaveProperty('MaximumBatchingWindowInSeconds');
      } else {
        expect(p.MaximumBatchingWindowInSeconds).toBe(m.maxBatchingWindowSeconds);
      }
      expect(p).not.toHaveProperty('FilterCriteria');
    },
  );

  it('deploys no batching window on the hops an order waits on, MSK`s default off them', () => {
    const window = (id: string) => {
      const m = kafkaMappings.find((k) => k.id === id);
      const [esm] = kafkaEsms().filter(
        (e) =>
          (e.Properties.AmazonManagedKafkaEventSourceConfig as { ConsumerGroupId: string }).ConsumerGroupId ===
          m?.consumerGroupId,
      );
      return esm?.Properties.MaximumBatchingWindowInSeconds;
    };
    const sagaPath = [
      'inventory.orders',
      'inventory.payments',
      'payment.inventory',
      'order-view.inventory',
      'order-view.payments',
    ];
    for (const id of sagaPath) expect(window(id)).toBe(0);
    const offPath = kafkaMappings.map((m) => m.id).filter((id) => !sagaPath.includes(id));
    expect(offPath).toHaveLength(5);
    for (const id of offPath) expect(window(id)).toBeUndefined(); // unset = MSK's 500 ms default
  });

  it('puts every Kafka ESM in one poller group', () => {
    const groups = new Set(
      kafkaEsms().map((e) => (e.Properties.ProvisionedPollerConfig as { PollerGroupName: string }).PollerGroupName),
    );
    expect(groups.size).toBe(1);
  });
});

describe('Services stack: the outbox relay stream mapping', () => {
  it.each(streamMappings.map((m) => [m.id, m] as const))(
    '%s: filtered to outbox inserts, partial batch responses, DLQ',
    (_, m) => {
      const [esm, ...others] = esms().filter((e) => e.Properties.Topics === undefined);
      expect(others).toHaveLength(0);
      const p = esm?.Properties as Record<string, unknown>;
      expect(p.FunctionName).toEqual({ Ref: fnLogicalId(m.function) });
      expect(JSON.stringify(p.EventSourceArn)).toContain(`${tableLogicalId(m.table)}StreamArn`);
      expect(p).toMatchObject({
        BatchSize: m.batchSize,
        MaximumBatchingWindowInSeconds: m.maxBatchingWindowSeconds,
        StartingPosition: m.startingPosition,
        MaximumRetryAttempts: m.retryAttempts,
        BisectBatchOnFunctionError: m.bisectBatchOnError,
        ParallelizationFactor: m.parallelizationFactor,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueLogicalId(m.onFailureQueue), 'Arn'] } } },
      });
      const patterns = (p.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
        JSON.parse(f.Pattern),
      );
      expect(patterns).toEqual(m.filterPatterns);
    },
  );

  it('reads only the orders table stream', () => {
    const [m] = streamMappings;
    const reads = statementsWith(m?.function as FunctionId, 'dynamodb:GetRecords');
    expect(reads.flatMap(resourcesOfStatement).map((r) => JSON.stringify(r))).toEqual([
      expect.stringContaining(`${tableLogicalId(m?.table as TableId)}StreamArn`),
    ]);
  });
});

describe('Services stack: dead-letter queues', () => {
  it.each(Object.keys(queues) as QueueId[])('%s: encrypted, TLS only, retention from the topology', (q) => {
    const queue = template.toJSON().Resources[queueLogicalId(q)];
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: queues[q].retentionSeconds,
    });
    expect(queues[q].retentionSeconds).toBe(14 * 24 * 3600);
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.Queues).includes(queueLogicalId(q)),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });
});

describe('Services stack: IAM least privilege', () => {
  // X-Ray's trace upload (active tracing) has no resource-level permissions, nor has ListStreams.
  const UNSCOPED = [['dynamodb:ListStreams'], ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']];
  it.each(functionIds)('%s: no action wildcards, "*" resources only for ListStreams and X-Ray uploads', (f) => {
    for (const s of statementsOfRole(template, roleLogicalId(f))) {
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
        { 'Fn::GetAtt': [queueLogicalId(functions[f].deadLetterQueue as QueueId), 'Arn'] },
      ]);
    },
  );
});
