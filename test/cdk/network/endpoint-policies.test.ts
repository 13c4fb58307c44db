/** CDK tests of lib/network/ (this folder mirrors it): VPC endpoint policies limited to the calls the code makes. */
import { resourcesOf, synthPipeline } from '../support';

const pipeline = synthPipeline();
const template = pipeline.template(pipeline.stacks.network);

type Statement = { Effect: string; Principal: unknown; Action: string | string[]; Resource: unknown };
const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).filter(
  (e) => e.Properties.VpcEndpointType === 'Interface',
);
const serviceOf = (e: { Properties: Record<string, unknown> }) =>
  JSON.stringify(e.Properties.ServiceName).match(/\.(lambda|sts|sqs|kafka)"/)?.[1];
const policyOf = (service: string) => {
  const endpoint = endpoints.find((e) => serviceOf(e) === service);
  if (!endpoint) throw new Error(`no ${service} endpoint`);
  return endpoint.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
};
/** A resource ARN (string or Fn::Join) with the pseudo parameters written as <Name>. */
function arnText(r: unknown): string {
  if (typeof r === 'string') return r;
  const ref = (r as { Ref?: string }).Ref;
  if (ref?.startsWith('AWS::')) return `<${ref.slice(5)}>`;
  const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(arnText).join(join[0]);
  return JSON.stringify(r);
}

describe('Interface endpoint policies', () => {
  it.each([
    ['lambda', ['lambda:InvokeFunction'], 'arn:<Partition>:lambda:us-east-1:<AccountId>:function:*'],
    ['sts', ['sts:AssumeRole'], 'arn:<Partition>:iam::<AccountId>:role/*'],
    [
      'sqs',
      ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      'arn:<Partition>:sqs:us-east-1:<AccountId>:*',
    ],
  ])('%s: only the actions the pipeline calls, on this account in this region', (service, actions, resource) => {
    const policy = policyOf(service);
    expect(policy?.Statement).toHaveLength(1);
    const [statement] = policy?.Statement ?? [];
    expect(statement?.Effect).toBe('Allow');
    expect(statement?.Principal).toEqual({ AWS: '*' });
    expect([statement?.Action].flat().sort()).toEqual(actions);
    expect([statement?.Resource].flat().map(arnText)).toEqual([resource]);
  });

  it('leaves the MSK API endpoint as it was (its future is another change)', () => {
    const kafka = endpoints.filter((e) => serviceOf(e) === 'kafka');
    for (const e of kafka) expect(e.Properties.PolicyDocument).toBeUndefined();
  });
});
