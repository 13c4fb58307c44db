import type { DlqEntry } from './classify';
import { addressedTo, failedConsumerOf } from './redrive';

const deadLetter = {
  kind: 'kafka-dead-letter',
  reason: 'INVALID_EVENT',
  errorName: 'PermanentError',
  errorMessage: 'x',
  functionName: 'notification',
  source: { topic: 'payments', partition: 0, offset: '3' },
} as DlqEntry;
const failure = {
  kind: 'kafka-failure',
  condition: 'RetryAttemptsExhausted',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:t1-payment',
  batchSize: 1,
  eventSourceArn: 'arn',
  ranges: [],
} as unknown as DlqEntry;

describe('targeted redrive', () => {
  const idOf = (name: string) => (name.startsWith('t1-') ? name.slice(3) : undefined);

  it('finds the consumer a dead letter or an ESM failure record names', () => {
    expect(failedConsumerOf(deadLetter, idOf)).toBe('notification');
    expect(failedConsumerOf(failure, idOf)).toBe('payment');
    expect(
      failedConsumerOf({ ...failure, functionArn: 'arn:aws:lambda:r:a:function:elsewhere' } as DlqEntry, idOf),
    ).toBeUndefined();
    expect(failedConsumerOf({ kind: 'unknown', problem: 'p' } as DlqEntry, idOf)).toBeUndefined();
  });

  it('addresses every re-published record to that consumer, keeping its other headers', () => {
    const plan = addressedTo(
      {
        republish: [
          { topic: 'payments', from: 'payments[0]@3', message: { key: 'k', value: 'v', headers: { 'event-id': 'e' } } },
        ],
        notes: [],
      },
      'notification',
    );
    expect(plan.republish[0]?.message.headers).toEqual({ 'event-id': 'e', 'redrive-for': 'notification' });
    expect(plan.notes).toEqual(['addressed to notification only (header redrive-for)']);
  });
});
