/**
 * The functions of the topology with their dead-letter queues, permissions, event source mappings
 * and the REST API in front of order-api. Tables, the cluster and the network come from the other
 * stacks; everything here is named and configured from lib/topology.ts.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SCHEMA_VERSION_IDS_ENV } from '../../functions/shared/schema-ids';
import type { DeploymentConfig } from '../config';
import type { DeploymentNames } from '../names';
import { OUTPUT_KEYS } from '../outputs';
import { kafkaResourceArns } from '../streaming/kafka-arns';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  kafkaMappings,
  type QueueId,
  schedules,
  streamMappings,
  type TableId,
  type TopicId,
  usesSchemaRegistry,
} from '../topology';
import { DeadLetterQueues } from './dead-letter-queues';
import { kafkaEventSource, streamEventSource } from './event-sources';
import { orderPathQuery } from './order-path-query';
import { OrdersApi } from './orders-api';
import { PipelineFunction, reservedConcurrencyOf } from './pipeline-function';
import { ReplayRole, replayGroupStatement } from './replay-access';
import { scheduleRule } from './schedules';

export interface ServicesStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly names: DeploymentNames;
  readonly tables: ReadonlyMap<TableId, dynamodb.ITable>;
  readonly clusterArn: string;
  /** The cluster's IAM bootstrap brokers (the relay's KAFKA_BROKERS). */
  readonly kafkaBrokers: string;
  /** SCHEMA_VERSION_IDS of the functions that read or write Kafka records (streaming stack). */
  readonly schemaVersionIds: string;
  readonly vpc: ec2.IVpc;
  readonly relaySecurityGroup: ec2.ISecurityGroup;
}

export class ServicesStack extends Stack {
  readonly functions: ReadonlyMap<FunctionId, PipelineFunction>;
  readonly deadLetterQueues: ReadonlyMap<QueueId, sqs.IQueue>;
  readonly ordersApi: OrdersApi;
  readonly replay: ReplayRole;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { config, names } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const table = (t: TableId) => {
      const found = props.tables.get(t);
      if (!found) throw new Error(`ServicesStack: table ${t} was not provided`);
      return found;
    };

    const dlqs = new DeadLetterQueues(this, 'DeadLetters', { removalPolicy });
    this.deadLetterQueues = dlqs.queues;
    const kafka = kafkaResourceArns(this, props.clusterArn);
    const producedTopics = [
      ...new Set(Object.values(functions).flatMap((f) => (f.outboxTopic ? [f.outboxTopic] : []))),
    ] as TopicId[];

    const created = new Map<FunctionId, PipelineFunction>();
    for (const functionId of Object.keys(functions) as FunctionId[]) {
      const spec = functions[functionId];
      const environment = {
        ...functionEnvironment(
          functionId,
          {
            table: (t) => table(t).tableName,
            queueUrl: (q) => dlqs.queue(q).queueUrl,
            metricsNamespace: names.metricsNamespace,
          },
          config.saga,
        ),
        ...(usesSchemaRegistry(functionId) ? { [SCHEMA_VERSION_IDS_ENV]: props.schemaVersionIds } : {}),
      };
      const fn = new PipelineFunction(this, pascal(functionId), {
        functionId,
        environment: spec.kafkaProducer
          ? { ...environment, KAFKA_BROKERS: props.kafkaBrokers, KAFKA_AUTH: 'iam' }
          : environment,
        logRetentionDays: config.logRetentionDays,
        removalPolicy,
        ...optional('reservedConcurrency', reservedConcurrencyOf(functionId, config)),
        ...(spec.kafkaProducer
          ? {
              vpc: {
                vpc: props.vpc,
                subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
                securityGroups: [props.relaySecurityGroup],
              },
            }
          : {}),
      });
      fn.grantTableCalls(table);
      if (spec.deadLetterQueue) fn.grantDeadLetters(dlqs.queue(spec.deadLetterQueue));
      fn.grantKafka(kafka, producedTopics);
      // A replay (npm run cli -- replay) reads under the function's own replay group (replay-access.ts).
      if (kafkaMappings.some((m) => m.function === functionId))
        fn.addToRolePolicy(replayGroupStatement(kafka, functionId));
      created.set(functionId, fn);
    }
    this.functions = created;
    orderPathQuery(
      this,
      'OrderPathQuery',
      `${this.stackName}/order-path`,
      [...created.values()].map((f) => f.logGroup),
    );
    const fn = (f: FunctionId) => created.get(f) as PipelineFunction;

    for (const mapping of kafkaMappings) {
      fn(mapping.function).addEventSource(
        kafkaEventSource(mapping, {
          clusterArn: props.clusterArn,
          pollerGroupName: names.pollerGroup,
          onFailureQueue: dlqs.queue(mapping.onFailureQueue),
        }),
      );
    }
    for (const mapping of streamMappings) {
      fn(mapping.function).addEventSource(
        streamEventSource(mapping, table(mapping.table), dlqs.queue(mapping.onFailureQueue)),
      );
    }

    for (const schedule of schedules) {
      scheduleRule(this, `${pascal(schedule.function)}Schedule`, schedule, fn(schedule.function), config.saga);
    }

    const consumers = new Map([...new Set(kafkaMappings.map((m) => m.function))].map((f) => [f, fn(f)] as const));
    const replay = new ReplayRole(this, 'Replay', {
      kafka,
      consumers,
      stackNames: [names.stacks.streaming, names.stacks.services],
    });
    new CfnOutput(this, OUTPUT_KEYS.replayRoleArn, {
      description: 'Role for npm run cli -- replay --target aws (temporary mappings of the Kafka consumers)',
      value: replay.role.roleArn,
    });
    this.replay = replay;
    for (const [f, consumer] of consumers) {
      new CfnOutput(this, OUTPUT_KEYS.functionName(f), {
        description: `Function name of the topology's ${f} (replay target)`,
        value: consumer.functionName,
      });
    }

    this.ordersApi = new OrdersApi(this, 'OrdersApi', {
      apiName: names.apiName,
      handler: fn('order-api'),
      settings: config.api,
      logRetentionDays: config.logRetentionDays,
      removalPolicy,
    });
    for (const [queueId, queue] of this.deadLetterQueues) {
      new CfnOutput(this, OUTPUT_KEYS.queueUrl(queueId), {
        description: `URL of the topology's ${queueId} queue`,
        value: queue.queueUrl,
      });
    }
    new CfnOutput(this, OUTPUT_KEYS.apiUrl, {
      description: 'Orders API base URL (append orders)',
      value: this.ordersApi.api.url,
    });
    new CfnOutput(this, OUTPUT_KEYS.apiKeyId, {
      description: 'API key id: aws apigateway get-api-key --include-value --api-key <id>',
      value: this.ordersApi.apiKey.keyId,
    });
  }
}

/** `{ [key]: value }` when value is set, else `{}` (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}

/** 'outbox-relay' → 'OutboxRelay' (construct ids). */
function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
