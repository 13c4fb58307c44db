/**
 * Every CloudWatch metric the monitoring stack may graph or alarm on, with the dimension sets AWS
 * documents it under. test/cdk/monitoring/documented-metrics.test.ts fails the build when an alarm or a dashboard
 * widget uses anything else: an alarm on a metric that is never published never fires.
 */

export interface DocumentedMetric {
  /** Dimension-name sets the metric is published with (order irrelevant). */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Set when AWS publishes the metric only under a condition this deployment does not meet: graph it, never alarm on it. */
  readonly publishedOnlyWhen?: string;
}

export interface DocumentedNamespace {
  readonly source: string;
  readonly metrics: Readonly<Record<string, DocumentedMetric>>;
}

const withDims = (...dimensionSets: string[][]): DocumentedMetric => ({ dimensionSets });

const API_STAGE = ['ApiName', 'Stage'];
const FUNCTION = ['FunctionName'];
const QUEUE = ['QueueName'];
const TABLE = ['TableName'];
const BROKER = ['Cluster Name', 'Broker ID'];

export const DOCUMENTED_METRICS: Readonly<Record<string, DocumentedNamespace>> = {
  'AWS/ApiGateway': {
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
    metrics: {
      Count: withDims(API_STAGE),
      Latency: withDims(API_STAGE),
      IntegrationLatency: withDims(API_STAGE),
      '4XXError': withDims(API_STAGE),
      '5XXError': withDims(API_STAGE),
    },
  },
  'AWS/Lambda': {
    // Function metrics by FunctionName ("aggregate metrics for all versions and aliases of a function"):
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-view.html
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
    metrics: {
      Invocations: withDims(FUNCTION),
      Errors: withDims(FUNCTION),
      Throttles: withDims(FUNCTION),
      Duration: withDims(FUNCTION),
      ConcurrentExecutions: withDims(FUNCTION),
      // Stream (DynamoDB) consumers only; the monitoring stack graphs it only for them.
      IteratorAge: withDims(FUNCTION),
      // Kafka consumers only (a performance metric of the function); alarmed through a Metrics Insights query
      // that also matches a per-mapping split (custom-metrics.ts offsetLagQuery).
      OffsetLag: withDims(FUNCTION),
      // cdk-monitoring-constructs graphs it on every function's invocation widgets.
      ProvisionedConcurrencySpilloverInvocations: {
        dimensionSets: [FUNCTION],
        publishedOnlyWhen: 'the function has provisioned concurrency (none here)',
      },
    },
  },
  'AWS/SQS': {
    source:
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html',
    metrics: {
      ApproximateNumberOfMessagesVisible: withDims(QUEUE),
      ApproximateAgeOfOldestMessage: withDims(QUEUE),
      NumberOfMessagesSent: withDims(QUEUE),
      NumberOfMessagesDeleted: withDims(QUEUE),
      SentMessageSize: withDims(QUEUE),
    },
  },
  'AWS/DynamoDB': {
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html',
    metrics: {
      ConsumedReadCapacityUnits: withDims(TABLE),
      ConsumedWriteCapacityUnits: withDims(TABLE),
      ReadThrottleEvents: withDims(TABLE),
      WriteThrottleEvents: withDims(TABLE),
      SystemErrors: withDims([...TABLE, 'Operation']),
    },
  },
  'AWS/Kafka': {
    // DEFAULT monitoring level (the cluster's enhancedMonitoring), per broker.
    source: 'https://docs.aws.amazon.com/msk/latest/developerguide/metrics-details.html',
    // consumer lag: https://docs.aws.amazon.com/msk/latest/developerguide/consumer-lag.html
    metrics: {
      CpuUser: withDims(BROKER),
      CpuSystem: withDims(BROKER),
      KafkaDataLogsDiskUsed: withDims(BROKER),
      BytesInPerSec: withDims(BROKER),
      // Consumer lag of one consumer group on one topic (DEFAULT level), i.e. of one Kafka ESM; only while
      // the group is STABLE or EMPTY and has committed offsets (consumer-lag.html).
      SumOffsetLag: withDims(['Cluster Name', 'Consumer Group', 'Topic']),
    },
  },
  // The pipeline's own EMF metrics (functions/shared/metric-names.ts, functions/reconciler/metrics.ts):
  // Powertools Metrics publishes each under the functions' namespace (the deployment prefix; this key is
  // the default prefix's) with its default dimension `service` (POWERTOOLS_SERVICE_NAME);
  // EMF: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
  OrderSaga: {
    source: 'https://docs.aws.amazon.com/powertools/typescript/latest/features/metrics/',
    metrics: {
      OrdersRedriven: withDims(['service']),
      OrdersExpired: withDims(['service']),
      OrdersUnnotified: withDims(['service']),
      OldestOpenOrderAgeSeconds: withDims(['service']),
      OrdersCreated: withDims(['service']),
      OrdersConfirmed: withDims(['service']),
      OrdersRejected: withDims(['service']),
      OrdersCancelled: withDims(['service']),
      SagaDuration: withDims(['service']),
      EventsPublished: withDims(['service']),
      RecordsDeadLettered: withDims(['service']),
      RecordsFailedTransiently: withDims(['service']),
      DuplicatesSkipped: withDims(['service']),
      OrdersEndedOnError: withDims(['service']),
    },
  },
};

/** Why a (namespace, metric, dimension names) use is not documented, or undefined when it is. */
export function undocumentedUse(
  namespace: string,
  metricName: string,
  dimensionNames: readonly string[],
): string | undefined {
  const ns = DOCUMENTED_METRICS[namespace];
  if (!ns) return `namespace ${namespace} is not in documented-metrics.ts`;
  const metric = ns.metrics[metricName];
  if (!metric) return `${namespace} ${metricName} is not in documented-metrics.ts`;
  const key = [...dimensionNames].sort().join(',');
  if (!metric.dimensionSets.some((set) => [...set].sort().join(',') === key)) {
    return `${namespace} ${metricName} is not published with dimensions {${dimensionNames.join(', ')}} (${ns.source})`;
  }
  return undefined;
}
