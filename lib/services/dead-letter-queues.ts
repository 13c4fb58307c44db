/**
 * One SQS dead-letter queue per topology queue: the function's own dead letters (poison records it
 * parks with a reason) and its event source mapping's failure records both land here (docs/design.md
 * "Failures"). SQS-managed encryption (no KMS key to pay for or to grant), TLS required, retention
 * from the topology (14 days, the SQS maximum).
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueId, type QueueSpec, queues } from '../topology';

export interface DeadLetterQueuesProps {
  readonly removalPolicy: RemovalPolicy;
}

export class DeadLetterQueues extends Construct {
  readonly queues: ReadonlyMap<QueueId, sqs.Queue>;

  constructor(scope: Construct, id: string, props: DeadLetterQueuesProps) {
    super(scope, id);
    const created = new Map<QueueId, sqs.Queue>();
    for (const [queueId, spec] of Object.entries(queues) as [QueueId, QueueSpec][]) {
      if (spec.retentionSeconds < 60 || spec.retentionSeconds > 14 * 24 * 3600) {
        throw new Error(`DeadLetterQueues: ${queueId} retention must be 60 s..14 days, got ${spec.retentionSeconds} s`);
      }
      created.set(
        queueId,
        new sqs.Queue(this, queueId, {
          retentionPeriod: Duration.seconds(spec.retentionSeconds),
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          removalPolicy: props.removalPolicy,
        }),
      );
    }
    this.queues = created;
  }

  queue(id: QueueId): sqs.Queue {
    const queue = this.queues.get(id);
    if (!queue) throw new Error(`DeadLetterQueues: no queue ${id}`);
    return queue;
  }
}
