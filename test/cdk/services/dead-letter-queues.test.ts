/**
 * DeadLetterQueues (lib/services/dead-letter-queues.ts): one queue per topology queue, SQS-managed
 * encryption, TLS only, the topology's retention; a retention outside SQS's MessageRetentionPeriod range
 * (60 s .. 1,209,600 s, lib/aws-limits.ts SQS_LIMITS) fails the synth.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SQS_LIMITS } from '../../../lib/aws-limits';
import { DeadLetterQueues } from '../../../lib/services/dead-letter-queues';
import { type QueueId, queues } from '../../../lib/topology';

const withRetention = (retentionSeconds: number) =>
  Object.fromEntries(Object.entries(queues).map(([id, spec]) => [id, { ...spec, retentionSeconds }])) as typeof queues;

function synth(specs?: typeof queues) {
  const stack = new Stack(new App(), 'Dlqs');
  const dlqs = new DeadLetterQueues(stack, 'Dlqs', {
    removalPolicy: RemovalPolicy.DESTROY,
    ...(specs ? { specs } : {}),
  });
  return { dlqs, template: Template.fromStack(stack) };
}

describe('DeadLetterQueues', () => {
  it('creates every topology queue with 14 days retention (the SQS maximum), SQS-managed encryption and TLS only', () => {
    const { dlqs, template } = synth();
    template.resourceCountIs('AWS::SQS::Queue', Object.keys(queues).length);
    template.allResourcesProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    template.resourceCountIs('AWS::SQS::QueuePolicy', Object.keys(queues).length);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const id of Object.keys(queues) as QueueId[]) expect(dlqs.queue(id)).toBe(dlqs.queues.get(id));
  });

  it('accepts the bounds of MessageRetentionPeriod', () => {
    synth(withRetention(SQS_LIMITS.retentionSeconds.min)).template.allResourcesProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 60,
    });
    synth(withRetention(SQS_LIMITS.retentionSeconds.max)).template.allResourcesProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it.each([59, 1_209_601, 90.5])('refuses a retention of %d s', (seconds) => {
    expect(() => synth(withRetention(seconds))).toThrow(
      new RegExp(`DeadLetterQueues: outbox-relay-dlq retention must be 60\\.\\.1209600 s, got ${seconds} s`),
    );
  });

  it('names an unknown queue', () => {
    const { dlqs } = synth();
    expect(() => dlqs.queue('nope' as QueueId)).toThrow('DeadLetterQueues: no queue nope');
  });
});
