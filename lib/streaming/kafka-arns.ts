/**
 * IAM resource ARNs of a cluster's topics and consumer groups, for `kafka-cluster:*` statements.
 * MSK names them after the cluster ARN `arn:…:cluster/<name>/<uuid>`:
 *   topic  arn:…:topic/<name>/<uuid>/<topic>
 *   group  arn:…:group/<name>/<uuid>/<group>
 * The cluster ARN is a deploy-time token (often imported from another stack), so the name and uuid
 * are cut out with Fn::Split/Fn::Select in the template rather than in TypeScript.
 */
import { Arn, Fn, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface KafkaResourceArns {
  readonly cluster: string;
  readonly topic: (name: string) => string;
  readonly group: (name: string) => string;
}

export function kafkaResourceArns(scope: IConstruct, clusterArn: string): KafkaResourceArns {
  // `cluster/<name>/<uuid>` split on '/': [arn:…:cluster, <name>, <uuid>].
  const [, name, uuid] = Fn.split('/', clusterArn, 3);
  const clusterPath = `${name}/${uuid}`;
  const arnOf = (resource: 'topic' | 'group', name: string) => {
    if (!/^[A-Za-z0-9._-]+$/.test(name))
      throw new Error(`Kafka ${resource} name ${JSON.stringify(name)} is not valid in an ARN`);
    return Arn.format({ service: 'kafka', resource, resourceName: `${clusterPath}/${name}` }, Stack.of(scope));
  };
  return {
    cluster: clusterArn,
    topic: (name) => arnOf('topic', name),
    group: (name) => arnOf('group', name),
  };
}
