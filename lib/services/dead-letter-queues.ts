/**
 * One SQS dead-letter queue per topology queue: the function's own dead letters (poison records it
 * parks with a reason) and its event source mapping's failure records both land here (docs/design.md
 * "Failures"). SQS-managed encryption (no KMS key to pay for or to grant), TLS required, retention
 * from the topology (14 days, the SQS maximum).
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SQS_LIMITS, wholeInRange } from '../aws-limits';
import { type QueueId, type QueueSpec, queues } from '../topology';

export interface DeadLetterQueuesProps {
  readonly removalPolicy: RemovalPolicy;
  /** The queues to create (default: the topology's); a parameter so the retention check can be tested. */
  readonly specs?: { readonly [K in QueueId]: QueueSpec };
}

export class DeadLetterQueues extends Construct {
  readonly queues: ReadonlyMap<QueueId, sqs.Queue>;

  constructor(scope: Construct, id: string, props: DeadLetterQueuesProps) {
    super(scope, id);
    const created = new Map<QueueId, sqs.Queue>();
    for (const [queueId, spec] of Object.entries(props.specs ?? queues) as [QueueId, QueueSpec][]) {
      const { min, max } = SQS_LIMITS.retentionSeconds;
      if (!wholeInRange(spec.retentionSeconds, SQS_LIMITS.retentionSeconds)) {
        throw new Error(
          `DeadLetterQueues: ${queueId} retention must be ${min}..${max} s, got ${spec.retentionSeconds} s`,
        );
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
