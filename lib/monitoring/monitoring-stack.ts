/**
 * One CloudWatch dashboard and the alarms of the pipeline (cdk-monitoring-constructs), every alarm
 * notifying one SNS topic (optionally with an email subscription, context `alarmEmail`):
 * API (requests, 4xx, 5xx, p99 latency), every function (errors, throttles, p99 duration,
 * concurrency), consumer lag per Kafka ESM, every DLQ, DynamoDB throttles, MSK brokers.
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
import { sagaMetricGroups } from './saga-metrics';

/** p99 latency alarms fire when a function uses this share of its timeout. */
const LATENCY_TIMEOUT_PERCENT = 80;
const API_P99_LATENCY = Duration.seconds(3);

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

    facade.addLargeHeader(`${config.prefix}: order saga`);
    facade.monitorApiGateway({
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
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        humanReadableName: `Function ${functionId}`,
        alarmFriendlyName: functionId,
        isIterator: streamConsumers.has(functionId),
        isOffsetLag: kafkaConsumers.has(functionId),
        addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
        addThrottlesCountAlarm: { Warning: { maxErrorCount: 0 } },
        addLatencyP99Alarm: { Warning: { maxLatencyPercentageOfTimeout: LATENCY_TIMEOUT_PERCENT } },
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
      humanReadableName: 'Kafka consumer lag',
      alarmFriendlyName: 'KafkaConsumerLag',
      metricGroups: [
        offsetLagGroup(
          [...kafkaConsumers].map((functionId) => ({
            label: functionId,
            functionName: (props.functions.get(functionId) as lambda.IFunction).functionName,
          })),
        ),
      ],
    });

    facade.monitorCustom({
      humanReadableName: 'Saga deadlines (reconciler)',
      alarmFriendlyName: 'SagaDeadlines',
      metricGroups: sagaMetricGroups(config.saga),
    });

    for (const [queueId, queue] of props.deadLetterQueues) {
      facade.monitorSqsQueue({
        queue,
        humanReadableName: `Dead letters ${queueId}`,
        alarmFriendlyName: queueId,
        // Any dead letter is a record the pipeline gave up on: someone must look.
        addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
      });
    }

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
