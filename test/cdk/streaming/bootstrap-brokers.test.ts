/**
 * The relay's brokers come from a deploy-time kafka:GetBootstrapBrokers (custom resource) instead of a
 * run-time call through an MSK control-plane endpoint: the lookup, its IAM (this cluster only), the
 * KafkaBrokers output, the relay's KAFKA_BROKERS + KAFKA_AUTH=iam, and no MSK API endpoint in the VPC.
 */
import { IAM_BROKERS_FIELD } from '../../../lib/streaming/bootstrap-brokers';
import { type FunctionId, functions } from '../../../lib/topology';
import { actionsOf, logicalIdOf, onlyResource, resourcesOf, resourcesOfStatement, synthPipeline } from '../support';

const pipeline = synthPipeline();
const { streaming, services, network } = pipeline.stacks;
const streamingTemplate = pipeline.template(streaming);
const clusterId = streaming.getLogicalId(streaming.cluster.cluster);
const lookupId = logicalIdOf(streaming.bootstrapBrokers.lookup);
const clusterArn = { 'Fn::GetAtt': [clusterId, 'Arn'] };

describe('bootstrap brokers lookup (streaming stack)', () => {
  const [, lookup] = onlyResource(streamingTemplate, 'Custom::AWS');

  it('calls Kafka GetBootstrapBrokers for this cluster on create and on update, returning only the IAM string', () => {
    for (const phase of ['Create', 'Update']) {
      const call = JSON.stringify(lookup.Properties[phase]);
      expect(call).toContain('\\"service\\":\\"Kafka\\"');
      expect(call).toContain('\\"action\\":\\"GetBootstrapBrokers\\"');
      expect(call).toContain(JSON.stringify(clusterArn));
      expect(call).toContain(`\\"outputPaths\\":[\\"${IAM_BROKERS_FIELD}\\"]`);
    }
    expect(lookup.Properties.InstallLatestAwsSdk).toBe(false);
  });

  it('may call GetBootstrapBrokers on this cluster only, and nothing else', () => {
    const [policyId, policy] = onlyResource(streamingTemplate, 'AWS::IAM::Policy');
    const statements = (policy.Properties.PolicyDocument as { Statement: never[] }).Statement;
    expect(statements.map(actionsOf)).toEqual([['kafka:GetBootstrapBrokers']]);
    expect(statements.flatMap(resourcesOfStatement)).toEqual([clusterArn]);
    // Created before the call, or the first GetBootstrapBrokers would be denied.
    expect(lookup.DependsOn).toContain(policyId);
  });

  it('outputs KafkaBrokers: the IAM bootstrap string', () => {
    streamingTemplate.hasOutput('KafkaBrokers', { Value: { 'Fn::GetAtt': [lookupId, IAM_BROKERS_FIELD] } });
  });
});

describe('the relay uses the resolved brokers with IAM auth', () => {
  const template = pipeline.template(services);
  const producers = (Object.keys(functions) as FunctionId[]).filter((f) => functions[f].kafkaProducer);

  it.each(producers)('%s: KAFKA_BROKERS from the lookup, KAFKA_AUTH=iam, no MSK_CLUSTER_ARN', (f) => {
    const env = template.toJSON().Resources[pipeline.logicalIds.function(f)].Properties.Environment.Variables as Record<
      string,
      unknown
    >;
    expect(env.KAFKA_AUTH).toBe('iam');
    expect(JSON.stringify(env.KAFKA_BROKERS)).toMatch(new RegExp(`Fn::ImportValue.*${lookupId}${IAM_BROKERS_FIELD}`));
    expect(env.MSK_CLUSTER_ARN).toBeUndefined();
  });

  it.each(producers)('%s: no kafka:GetBootstrapBrokers (it never calls the MSK control plane)', (f) => {
    const actions = pipeline.roleStatements(f).flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('kafka:'))).toEqual([]);
  });
});

it('the VPC has no MSK control-plane endpoint (neither com.amazonaws.<region>.kafka nor kafka-api)', () => {
  const endpoints = Object.values(resourcesOf(pipeline.template(network), 'AWS::EC2::VPCEndpoint'));
  expect(endpoints.length).toBeGreaterThan(0);
  for (const e of endpoints) expect(JSON.stringify(e.Properties.ServiceName)).not.toMatch(/\.kafka(-api|-fips)?"/);
});
