/**
 * Endpoint policies of the interface endpoints: only the actions the pipeline calls through each, and only
 * on this account's resources in this region, so the endpoints cannot carry calls to other accounts'
 * queues or functions. An endpoint policy does not grant anything; it limits what IAM already allows.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 *
 * Resources are account-wide rather than per queue or function: the network stack is deployed before
 * the services stack whose queues and functions get CloudFormation-generated names, so it cannot name
 * them without a dependency cycle. The MSK API endpoint is left as it is (docs/aws-notes.md, item 9).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

type StatementsFor = (scope: Construct) => iam.PolicyStatement[];

const inAccount = (scope: Construct, service: string, resource: string): string => {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
};

const allow = (actions: string[], resources: string[]) =>
  new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions, resources });

/** Statements per endpoint (keys of INTERFACE_ENDPOINTS in network-stack.ts). */
export const ENDPOINT_POLICY_STATEMENTS: Readonly<Record<string, StatementsFor>> = {
  // The ESM pollers invoke the consumer functions (only in on-demand mode: README "Network choice").
  Lambda: (scope) => [allow(['lambda:InvokeFunction'], [inAccount(scope, 'lambda', 'function:*')])],
  // ...and take the functions' execution roles. IAM ARNs have no region.
  Sts: (scope) => {
    const stack = Stack.of(scope);
    return [allow(['sts:AssumeRole'], [`arn:${stack.partition}:iam::${stack.account}:role/*`])];
  },
  // Dead letters: the relay's SendMessage, and the Kafka mappings' on-failure destinations (which also
  // read the queue's attributes and URL, as SqsDlq grants).
  Sqs: (scope) => [
    allow(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], [inAccount(scope, 'sqs', '*')]),
  ],
};
