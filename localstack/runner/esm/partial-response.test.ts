import { identifyKafkaItem, identifyStreamItem, judgeResponse } from './partial-response';
import type { EsmRecord } from './types';

const kafkaBatch: EsmRecord[] = [
  { lane: 'orders-0', position: 10n },
  { lane: 'orders-0', position: 11n },
  { lane: 'orders-2', position: 3n },
];
const item = (partition: unknown, offset: unknown) => ({ itemIdentifier: { partition, offset } });

describe('judgeResponse (Kafka identifiers)', () => {
  it.each([
    ['no response', undefined],
    ['null', null],
    ['an empty object', {}],
    ['null batchItemFailures', { batchItemFailures: null }],
    ['an empty batchItemFailures list', { batchItemFailures: [] }],
    ['a plain string', 'done'],
  ])('%s is a complete success', (_name, payload) => {
    expect(judgeResponse(payload, kafkaBatch, identifyKafkaItem)).toEqual({ kind: 'success' });
  });

  it('resumes each reported partition from its lowest reported offset', () => {
    const verdict = judgeResponse(
      { batchItemFailures: [item('orders-0', 11), item('orders-0', 10), item('orders-2', '3')] },
      kafkaBatch,
      identifyKafkaItem,
    );
    expect(verdict).toEqual({
      kind: 'partial',
      resumeFrom: new Map([
        ['orders-0', 10n],
        ['orders-2', 3n],
      ]),
    });
  });

  it.each([
    ['an offset not in the batch', [item('orders-0', 12)], /not in the batch/],
    ['a partition not in the batch', [item('orders-1', 10)], /not in the batch/],
    ['a partition without topic', [item('0', 10)], /partition/],
    ['a fractional offset', [item('orders-0', 10.5)], /offset/],
    ['a negative offset', [item('orders-0', -1)], /offset/],
    ['an empty identifier', [{ itemIdentifier: '' }], /empty/],
    ['a null identifier', [{ itemIdentifier: null }], /empty/],
    ['a misspelt key', [{ identifier: { partition: 'orders-0', offset: 10 } }], /empty/],
    ['a non-object entry', ['orders-0'], /not an object/],
  ])('%s makes the whole batch failed', (_name, batchItemFailures, reason) => {
    const verdict = judgeResponse({ batchItemFailures }, kafkaBatch, identifyKafkaItem);
    expect(verdict.kind).toBe('invalid');
    expect(verdict.kind === 'invalid' && verdict.reason).toMatch(reason);
  });
});

describe('judgeResponse (DynamoDB Streams sequence numbers)', () => {
  const shard = 'shardId-00000001-abc';
  const batch: EsmRecord[] = [
    { lane: shard, position: 100000000000000000001n },
    { lane: shard, position: 100000000000000000007n },
  ];

  it('reads sequence numbers exactly, beyond the precision of a JS number', () => {
    const verdict = judgeResponse(
      { batchItemFailures: [{ itemIdentifier: '100000000000000000007' }] },
      batch,
      identifyStreamItem(shard),
    );
    expect(verdict).toEqual({ kind: 'partial', resumeFrom: new Map([[shard, 100000000000000000007n]]) });
  });

  it('an unknown sequence number fails the batch', () => {
    const verdict = judgeResponse({ batchItemFailures: [{ itemIdentifier: '5' }] }, batch, identifyStreamItem(shard));
    expect(verdict.kind).toBe('invalid');
  });

  it('a Kafka-style identifier is not a sequence number', () => {
    const verdict = judgeResponse({ batchItemFailures: [item(shard, 1)] }, batch, identifyStreamItem(shard));
    expect(verdict).toEqual({ kind: 'invalid', reason: expect.stringMatching(/not a sequence number/) });
  });
});
