/**
 * The services stack against the topology: each function's runtime, size and environment, one ESM per
 * Kafka and stream mapping with its error handling, and the dead-letter queues. (IAM:
 * iam-least-privilege.test.ts, table-access.test.ts.)
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { ESM_LIMITS } from '../../../lib/aws-limits';
import { deploymentNames } from '../../../lib/names';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  kafkaMappings,
  type QueueId,
  queues,
  streamMappings,
  type TableId,
  topics,
  usesSchemaRegistry,
} from '../../../lib/topology';
import { actionsOf, type CfnResource, resourcesOf, resourcesOfStatement, synthPipeline } from '../support';

const pipeline = synthPipeline();
const { stacks, logicalIds } = pipeline;
const services = stacks.services;
const template: Template = pipeline.template(services);
const functionIds = Object.keys(functions) as FunctionId[];
const clusterExport = () => `${stacks.streaming.getLogicalId(stacks.streaming.cluster.cluster)}Arn`;

const esms = () => Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
const kafkaEsms = () => esms().filter((e) => e.Properties.Topics !== undefined);
/** The Kafka ESM of a topology mapping, found by its consumer group. */
const kafkaEsmOf = (consumerGroupId: string | undefined): CfnResource | undefined =>
  kafkaEsms().find(
    (e) =>
      (e.Properties.AmazonManagedKafkaEventSourceConfig as { ConsumerGroupId: string }).ConsumerGroupId ===
      consumerGroupId,
  );

describe('Services stack: functions', () => {
  it.each(functionIds)('%s: Node.js 22 on arm64, sized and timed from the topology', (f) => {
    const spec = functions[f];
    const fn = template.toJSON().Resources[logicalIds.function(f)];
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
      const env = template.toJSON().Resources[logicalIds.function(f)].Properties.Environment.Variables as Record<
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
      if (dlq) expect(env.DLQ_URL).toEqual({ Ref: logicalIds.deadLetterQueue(dlq) });
      for (const t of Object.keys(functions[f].tables) as TableId[]) {
        expect(JSON.stringify(env[`${t.toUpperCase()}_TABLE`])).toContain(logicalIds.table(t));
      }
      if (functions[f].kafkaProducer) {
        expect(env.KAFKA_AUTH).toBe('iam');
        expect(JSON.stringify(env.KAFKA_BROKERS)).toContain('BootstrapBrokerStringSaslIam');
      }
    },
  );
});

describe('Services stack: Kafka event source mappings', () => {
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
      const esm = kafkaEsmOf(m.consumerGroupId);
      expect(esm).toBeDefined();
      const p = esm?.Properties as Record<string, unknown>;
      expect(p.FunctionName).toEqual({ Ref: logicalIds.function(m.function) });
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
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIds.deadLetterQueue(m.onFailureQueue), 'Arn'] } },
        },
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
      return kafkaEsmOf(m?.consumerGroupId)?.Properties.MaximumBatchingWindowInSeconds;
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
      expect(p.FunctionName).toEqual({ Ref: logicalIds.function(m.function) });
      expect(JSON.stringify(p.EventSourceArn)).toContain(`${logicalIds.table(m.table)}StreamArn`);
      expect(p).toMatchObject({
        BatchSize: m.batchSize,
        MaximumBatchingWindowInSeconds: m.maxBatchingWindowSeconds,
        StartingPosition: m.startingPosition,
        MaximumRetryAttempts: m.retryAttempts,
        BisectBatchOnFunctionError: m.bisectBatchOnError,
        ParallelizationFactor: m.parallelizationFactor,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIds.deadLetterQueue(m.onFailureQueue), 'Arn'] } },
        },
      });
      const patterns = (p.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
        JSON.parse(f.Pattern),
      );
      expect(patterns).toEqual(m.filterPatterns);
    },
  );

  it('reads only the orders table stream', () => {
    const [m] = streamMappings;
    const reads = pipeline
      .roleStatements(m?.function as FunctionId)
      .filter((s) => actionsOf(s).includes('dynamodb:GetRecords'));
    expect(reads.flatMap(resourcesOfStatement).map((r) => JSON.stringify(r))).toEqual([
      expect.stringContaining(`${logicalIds.table(m?.table as TableId)}StreamArn`),
    ]);
  });
});

describe('Services stack: dead-letter queues', () => {
  it.each(Object.keys(queues) as QueueId[])('%s: encrypted, TLS only, retention from the topology', (q) => {
    const queue = template.toJSON().Resources[logicalIds.deadLetterQueue(q)];
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: queues[q].retentionSeconds,
    });
    expect(queues[q].retentionSeconds).toBe(14 * 24 * 3600);
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.Queues).includes(logicalIds.deadLetterQueue(q)),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });
});
