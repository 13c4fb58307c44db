/**
 * What a replay (`npm run cli -- replay --target aws`) needs, granted by the stack and nothing wider:
 * - each Kafka consumer's role may join its own replay groups, `replay.<function>.<topic>` (the temporary
 *   mapping reads Kafka as the function's role, like its live mapping: lib/services/kafka-access.ts);
 * - a ReplayRole (assumable by the account's principals that IAM lets assume it) may create, read and
 *   delete event source mappings of those functions only (condition lambda:FunctionArn,
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html), read the stack
 *   outputs, and, on Kafka, set and delete the offsets of replay groups and read the topics' offsets.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { KafkaResourceArns } from '../streaming/kafka-arns';
import { type FunctionId, kafkaMappings, replayGroupId, topics } from '../topology';
import { CONSUMER_GROUP_ACTIONS } from './kafka-access';

/** Offsets of replay groups: seeded for a replay from offsets, read to follow it, deleted after. */
export const REPLAY_OPERATOR_GROUP_ACTIONS = [
  'kafka-cluster:DescribeGroup',
  'kafka-cluster:AlterGroup',
  'kafka-cluster:DeleteGroup',
];
export const REPLAY_MAPPING_ACTIONS = [
  'lambda:CreateEventSourceMapping',
  'lambda:GetEventSourceMapping',
  'lambda:DeleteEventSourceMapping',
];

/** The replay groups a function's mappings may use: one per topic it consumes. */
export function replayGroupArns(arns: KafkaResourceArns, fn: FunctionId): string[] {
  return kafkaMappings.filter((m) => m.function === fn).map((m) => arns.group(replayGroupId(fn, m.topic)));
}

/** The function role's access to its replay groups (same actions as its live groups). */
export function replayGroupStatement(arns: KafkaResourceArns, fn: FunctionId): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: CONSUMER_GROUP_ACTIONS, resources: replayGroupArns(arns, fn) });
}

export interface ReplayRoleProps {
  readonly kafka: KafkaResourceArns;
  /** The Kafka consumers, by topology id. */
  readonly consumers: ReadonlyMap<FunctionId, IFunction>;
  /** The stacks whose outputs the CLI reads (lib/names.ts stacks.streaming, stacks.services). */
  readonly stackNames: readonly string[];
}

export class ReplayRole extends Construct {
  readonly role: iam.Role;
  /** The resources its statements end in `*` (its stacks' ids), for the nag acknowledgements. */
  readonly wildcardResources: readonly string[];

  constructor(scope: Construct, id: string, props: ReplayRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stackArns = props.stackNames.map((name) =>
      stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'npm run cli -- replay --target aws: temporary event source mappings of the Kafka consumers',
    });
    const functionArns = [...props.consumers.values()].map((f) => f.functionArn);
    // CreateEventSourceMapping names no resource; the function it maps is its lambda:FunctionArn condition.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: REPLAY_MAPPING_ACTIONS,
        resources: ['*'],
        conditions: { ArnLike: { 'lambda:FunctionArn': functionArns } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStacks'],
        resources: stackArns,
      }),
    );
    const groups = [...props.consumers.keys()].flatMap((fn) => replayGroupArns(props.kafka, fn));
    const consumedTopics = [
      ...new Set(kafkaMappings.filter((m) => props.consumers.has(m.function)).map((m) => m.topic)),
    ];
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kafka-cluster:Connect'], resources: [props.kafka.cluster] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kafka-cluster:DescribeTopic'],
        resources: consumedTopics.map((t) => props.kafka.topic(topics[t].name)),
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ actions: REPLAY_OPERATOR_GROUP_ACTIONS, resources: groups }));
    this.wildcardResources = stackArns;
    // The CLI looks the brokers up from the cluster when KAFKA_BROKERS is not given.
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [props.kafka.cluster] }),
    );
  }
}
