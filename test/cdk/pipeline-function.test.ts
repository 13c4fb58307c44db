/**
 * PipelineFunction (lib/services/pipeline-function.ts) on its own: its documented defaults, its props
 * checks and its grant helpers; then the tracing settings of the whole deployment (every function and
 * the API stage), which the X-Ray query in the README relies on.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PipelineFunction, type PipelineFunctionProps } from '../../lib/services/pipeline-function';
import { kafkaResourceArns } from '../../lib/streaming/kafka-arns';
import { functions, type TableId } from '../../lib/topology';
import { actionsOf, logicalIdOf, resourcesOf, statementsOfRole, synthPipeline } from './support';

const CLUSTER_ARN = 'arn:aws:kafka:us-east-1:111111111111:cluster/orders/0b5f3f1e-1111-2222-3333-444444444444-1';

function stack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', {
    env: { account: '111111111111', region: 'us-east-1' },
  });
}

const base = (over: Partial<PipelineFunctionProps> = {}): PipelineFunctionProps => ({
  functionId: 'inventory',
  environment: { SOME_SETTING: 'b' },
  logRetentionDays: 14,
  removalPolicy: RemovalPolicy.DESTROY,
  ...over,
});

function vpcOf(s: Stack) {
  const vpc = new ec2.Vpc(s, 'Vpc', {
    subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return {
    vpc,
    subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [new ec2.SecurityGroup(s, 'Sg', { vpc })],
  };
}

const fnProps = (s: Stack, fn: PipelineFunction) =>
  Template.fromStack(s).toJSON().Resources[logicalIdOf(fn)].Properties;

describe('PipelineFunction: defaults', () => {
  it('nodejs22.x on arm64, sized from the topology, its own bounded log group, active tracing with X-Ray write access', () => {
    const s = stack();
    const fn = new PipelineFunction(s, 'Inventory', base());
    const props = fnProps(s, fn);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: functions.inventory.memoryMb,
      Timeout: functions.inventory.timeoutSeconds,
      Handler: 'index.handler',
      Description: functions.inventory.description,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { SOME_SETTING: 'b' } },
    });
    expect(props.ReservedConcurrentExecutions).toBeUndefined();
    expect(props.VpcConfig).toBeUndefined();
    const groups = Object.values(resourcesOf(Template.fromStack(s), 'AWS::Logs::LogGroup'));
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([14]);
    const xray = statementsOfRole(Template.fromStack(s), logicalIdOf(fn.role)).find((st) =>
      actionsOf(st).includes('xray:PutTraceSegments'),
    );
    expect(xray && actionsOf(xray).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('takes another tracing mode and a reserved concurrency when given', () => {
    const s = stack();
    const fn = new PipelineFunction(
      s,
      'Inventory',
      base({ tracing: lambda.Tracing.PASS_THROUGH, reservedConcurrency: 3 }),
    );
    expect(fnProps(s, fn)).toMatchObject({ TracingConfig: { Mode: 'PassThrough' }, ReservedConcurrentExecutions: 3 });
  });

  it('puts a Kafka producer in the VPC it is given', () => {
    const s = stack();
    const fn = new PipelineFunction(s, 'Relay', base({ functionId: 'outbox-relay', vpc: vpcOf(s) }));
    expect(fnProps(s, fn).VpcConfig).toBeDefined();
  });
});

describe('PipelineFunction: props checks', () => {
  it.each<[string, (s: Stack) => Partial<PipelineFunctionProps>, RegExp]>([
    ['a Kafka producer without the VPC', () => ({ functionId: 'outbox-relay' }), /produces to Kafka and needs the VPC/],
    ['a consumer in the VPC', (s) => ({ vpc: vpcOf(s) }), /only Kafka producers run in the VPC/],
    [
      'a VPC without security groups',
      (s) => ({ functionId: 'outbox-relay', vpc: { ...vpcOf(s), securityGroups: [] } }),
      /security group/,
    ],
    [
      'a retention CloudWatch Logs does not offer',
      () => ({ logRetentionDays: 10 }),
      /not a CloudWatch Logs retention period/,
    ],
    ['a reservation of 0 (the function could never run)', () => ({ reservedConcurrency: 0 }), /integer >= 1/],
    ['a fractional reservation', () => ({ reservedConcurrency: 1.5 }), /integer >= 1/],
    ['an environment variable name Lambda refuses', () => ({ environment: { X: '1' } }), /variable name "X"/],
    [
      'a function the topology does not have',
      () => ({ functionId: 'nope' as never }),
      /not a function of the topology/,
    ],
  ])('rejects %s', (_what, over, message) => {
    const s = stack();
    expect(() => new PipelineFunction(s, 'Fn', base(over(s)))).toThrow(message);
  });
});

describe('PipelineFunction: grant helpers', () => {
  it('grantTableCalls: exactly the calls of the code, per table', () => {
    const s = stack();
    const fn = new PipelineFunction(s, 'Inventory', base());
    const tables = new Map<TableId, dynamodb.ITable>();
    const tableOf = (t: TableId) => {
      if (!tables.has(t)) tables.set(t, dynamodb.Table.fromTableName(s, `T-${t}`, `table-${t}`));
      return tables.get(t) as dynamodb.ITable;
    };
    fn.grantTableCalls(tableOf);
    const byTable = Object.fromEntries(
      statementsOfRole(Template.fromStack(s), logicalIdOf(fn.role))
        .filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))
        .map((st) => [JSON.stringify(st.Resource).match(/table-(\w+)/)?.[1], actionsOf(st)]),
    );
    expect(byTable).toEqual({
      inventory: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      orders: ['dynamodb:PutItem'],
      idempotency: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    });
  });

  it('grantDeadLetters: send to its queue; refused for a function the topology gives none', () => {
    const s = stack();
    const fn = new PipelineFunction(s, 'Inventory', base());
    fn.grantDeadLetters(new sqs.Queue(s, 'Dlq'));
    const send = statementsOfRole(Template.fromStack(s), logicalIdOf(fn.role)).find((st) =>
      actionsOf(st).includes('sqs:SendMessage'),
    );
    expect(send).toBeDefined();
    const api = new PipelineFunction(s, 'Api', base({ functionId: 'order-api' }));
    expect(() => api.grantDeadLetters(new sqs.Queue(s, 'Other'))).toThrow(/no dead-letter queue/);
  });

  it('grantKafka: a consumer reads its topics as its groups, a producer writes its topics, neither gets the other', () => {
    const s = stack();
    const arns = kafkaResourceArns(s, CLUSTER_ARN);
    const consumer = new PipelineFunction(s, 'Inventory', base());
    const producer = new PipelineFunction(s, 'Relay', base({ functionId: 'outbox-relay', vpc: vpcOf(s) }));
    consumer.grantKafka(arns, ['orders']);
    producer.grantKafka(arns, ['orders']);
    const kafkaActions = (fn: PipelineFunction) =>
      statementsOfRole(Template.fromStack(s), logicalIdOf(fn.role))
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kafka-cluster:'))
        .sort();
    expect(kafkaActions(consumer)).toEqual([
      'kafka-cluster:AlterGroup',
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeClusterDynamicConfiguration',
      'kafka-cluster:DescribeGroup',
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:ReadData',
    ]);
    expect(kafkaActions(producer)).toEqual([
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:WriteData',
      'kafka-cluster:WriteDataIdempotently',
    ]);
  });
});

describe('tracing settings of the deployment', () => {
  const pipeline = synthPipeline();
  const { services } = pipeline.stacks;
  const template = pipeline.template(services);

  it('every function of the topology traces actively', () => {
    const modes = Object.fromEntries(
      [...services.functions].map(([id, fn]) => [id, fnProps(services, fn).TracingConfig]),
    );
    expect(Object.keys(modes).sort()).toEqual(Object.keys(functions).sort());
    for (const mode of Object.values(modes)) expect(mode).toEqual({ Mode: 'Active' });
  });

  it('the API stage has X-Ray tracing on', () => {
    const stages = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    expect(stages[0]?.Properties.TracingEnabled).toBe(true);
  });
});
