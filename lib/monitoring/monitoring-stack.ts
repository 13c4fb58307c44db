/**
 * One CloudWatch dashboard and the alarms of the pipeline (cdk-monitoring-constructs), every alarm
 * notifying one SNS topic (optionally with an email subscription, context `alarmEmail`). The dashboard is
 * the shared widget list (widgets.ts, the local dashboard shows the same) plus tables and brokers.
 * Alarms: API (5xx, 4xx rate, p99 latency), every function (errors, throttles, p99 duration, capped
 * concurrency, the relay's stream IteratorAge), consumer lag (per function and per mapping), every DLQ,
 * the saga (saga-alarms.ts, saga-metrics.ts), DynamoDB throttles, MSK brokers.
 */
import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config';
import type { DeploymentNames } from '../names';
import { reservedConcurrencyOf } from '../services/pipeline-function';
import { type FunctionId, kafkaMappings, type QueueId, streamMappings, type TableId } from '../topology';
import { brokerMetricGroups, offsetLagGroup } from './custom-metrics';
import { type CloudWatchNames, widgetMetricGroup } from './dashboard';
import { sagaAlarmGroups } from './saga-alarms';
import { sagaMetricGroups } from './saga-metrics';
import { DASHBOARD_SECTIONS } from './widgets';

/** p99 latency alarms fire when a function uses this share of its timeout. */
export const LATENCY_TIMEOUT_PERCENT = 80;
export const API_P99_LATENCY = Duration.seconds(3);
/**
 * The relay's stream IteratorAge alarm: the oldest record it read more than 1 minute old (it relays in
 * about a second) in 2 consecutive 5-minute periods (cdk-monitoring-constructs' period): the stream is
 * stuck behind a failing batch or the relay cannot reach Kafka.
 */
export const STREAM_ITERATOR_AGE_ALARM = Duration.minutes(1);
export const STREAM_ITERATOR_AGE_PERIODS = 2;
/** Header of the dashboard's last part: widgets with no local counterpart (test/cdk/dashboard-widgets.test.ts). */
export const AWS_ONLY_HEADER = 'AWS only: tables and brokers';

function functionOf(fns: ReadonlyMap<FunctionId, lambda.IFunction>, f: FunctionId): lambda.IFunction {
  const fn = fns.get(f);
  if (!fn) throw new Error(`MonitoringStack: no function ${f}`);
  return fn;
}

export interface MonitoringStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly names: DeploymentNames;
  readonly api: apigw.RestApi;
  readonly apiStage: string;
  readonly functions: ReadonlyMap<FunctionId, lambda.IFunction>;
  readonly deadLetterQueues: ReadonlyMap<QueueId, sqs.IQueue>;
  readonly tables: ReadonlyMap<TableId, dynamodb.ITable>;
  readonly cluster: { readonly name: string; readonly brokerCount: number };
}

export class MonitoringStack extends Stack {
  readonly alarmTopic: sns.Topic;
  readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, names } = props;

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: `${config.prefix} alarms`, enforceSSL: true });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));

    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: names.dashboard,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    this.facade = new MonitoringFacade(this, 'Monitoring', {
      alarmFactoryDefaults: {
        alarmNamePrefix: config.prefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: this.alarmTopic, onOkTopic: this.alarmTopic }),
      },
      dashboardFactory: dashboards,
    });
    const facade = this.facade;

    const cloudWatchNames: CloudWatchNames = {
      apiName: props.api.restApiName,
      apiStage: props.apiStage,
      functionName: (f) => functionOf(props.functions, f).functionName,
      queueName: (q) => {
        const queue = props.deadLetterQueues.get(q);
        if (!queue) throw new Error(`MonitoringStack: no queue ${q}`);
        return queue.queueName;
      },
      clusterName: props.cluster.name,
      metricsNamespace: names.metricsNamespace,
    };

    // The dashboard: the shared widget list (widgets.ts, also the local dashboard's), then the AWS-only
    // infrastructure widgets (tables, brokers) that have no local counterpart.
    facade.addLargeHeader(`${config.prefix}: order saga`);
    for (const section of DASHBOARD_SECTIONS) {
      facade.monitorCustom({
        humanReadableName: section.title,
        alarmFriendlyName: section.title.replace(/[^A-Za-z0-9]/g, ''),
        metricGroups: section.widgets.map((w) => widgetMetricGroup(w, cloudWatchNames)),
      });
    }
    facade.addLargeHeader(AWS_ONLY_HEADER);
    for (const [tableId, table] of props.tables) {
      facade.monitorDynamoTable({
        table,
        humanReadableName: `Table ${tableId}`,
        alarmFriendlyName: `${tableId}Table`,
        addReadThrottledEventsCountAlarm: { Warning: { maxThrottledEventsThreshold: 0 } },
        addWriteThrottledEventsCountAlarm: { Warning: { maxThrottledEventsThreshold: 0 } },
      });
    }
    facade.monitorCustom({
      humanReadableName: `MSK cluster ${props.cluster.name}`,
      alarmFriendlyName: 'MskBrokers',
      metricGroups: brokerMetricGroups({ clusterName: props.cluster.name, brokerCount: props.cluster.brokerCount }),
    });

    // Alarms only (their metrics are on the dashboard above, through the shared widget list).
    const alarmsOnly = { addToDetailDashboard: false, addToSummaryDashboard: false, addToAlarmDashboard: false };
    facade.monitorApiGateway({
      ...alarmsOnly,
      api: props.api,
      apiStage: props.apiStage,
      humanReadableName: 'Orders API',
      alarmFriendlyName: 'OrdersApi',
      add5XXFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
      add4XXErrorRateAlarm: { Warning: { maxErrorRate: 0.5 } },
      addLatencyP99Alarm: { Warning: { maxLatency: API_P99_LATENCY } },
    });

    const kafkaConsumers = new Set(kafkaMappings.map((m) => m.function));
    const streamConsumers = new Set(streamMappings.map((m) => m.function));
    for (const [functionId, fn] of props.functions) {
      const reserved = reservedConcurrencyOf(functionId, config);
      const isIterator = streamConsumers.has(functionId);
      facade.monitorLambdaFunction({
        ...alarmsOnly,
        lambdaFunction: fn,
        humanReadableName: `Function ${functionId}`,
        alarmFriendlyName: functionId,
        isIterator,
        isOffsetLag: kafkaConsumers.has(functionId),
        addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
        addThrottlesCountAlarm: { Warning: { maxErrorCount: 0 } },
        addLatencyP99Alarm: { Warning: { maxLatencyPercentageOfTimeout: LATENCY_TIMEOUT_PERCENT } },
        // The relay's stream: records waiting longer than this are orders whose events are not on Kafka.
        ...(isIterator
          ? {
              addMaxIteratorAgeAlarm: {
                Critical: {
                  maxAgeInMillis: STREAM_ITERATOR_AGE_ALARM.toMilliseconds(),
                  evaluationPeriods: STREAM_ITERATOR_AGE_PERIODS,
                  datapointsToAlarm: STREAM_ITERATOR_AGE_PERIODS,
                },
              },
            }
          : {}),
        // Concurrency is on the dashboard for all; alarmed where the topology caps it.
        ...(reserved !== undefined
          ? {
              addConcurrentExecutionsCountAlarm: {
                Warning: { maxRunningTasks: Math.max(1, Math.floor(reserved * 0.8)) },
              },
            }
          : {}),
      });
    }

    facade.monitorCustom({
      ...alarmsOnly,
      humanReadableName: 'Kafka consumer lag',
      alarmFriendlyName: 'KafkaConsumerLag',
      metricGroups: [
        offsetLagGroup(
          [...kafkaConsumers].map((functionId) => ({
            label: functionId,
            functionName: functionOf(props.functions, functionId).functionName,
          })),
        ),
      ],
    });
    facade.monitorCustom({
      ...alarmsOnly,
      humanReadableName: 'Saga',
      alarmFriendlyName: 'Saga',
      metricGroups: [
        ...sagaMetricGroups(config.saga, names.metricsNamespace),
        ...sagaAlarmGroups({
          names: cloudWatchNames,
          deadlines: config.saga,
          processors: [...streamConsumers, ...kafkaConsumers],
          consumers: [...kafkaConsumers],
        }),
      ],
    });

    for (const [queueId, queue] of props.deadLetterQueues) {
      facade.monitorSqsQueue({
        ...alarmsOnly,
        queue,
        humanReadableName: `Dead letters ${queueId}`,
        alarmFriendlyName: queueId,
        // Any dead letter is a record the pipeline gave up on: someone must look.
        addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
      });
    }

    new CfnOutput(this, 'DashboardUrl', {
      description: 'CloudWatch dashboard of the pipeline',
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${names.dashboard}`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic every alarm notifies',
      value: this.alarmTopic.topicArn,
    });
  }
}
