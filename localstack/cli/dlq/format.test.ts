/** How `dlq list` shows each kind of DLQ message (classified by classify.ts). */
import { kafkaDeadLetter } from '../../../test/fixtures/dlq-messages';
import { documentedKafkaFailureRecord, documentedStreamFailureRecord } from '../../runner/esm/documented-shapes';
import { classifyMessage } from './classify';
import { formatDlqEntry } from './format';

describe('formatDlqEntry', () => {
  const meta = { messageId: 'm-1', sentAt: '2026-01-01T00:00:02.000Z' };

  it('shows a dead letter with its reason and source', () => {
    expect(formatDlqEntry(1, meta, classifyMessage(kafkaDeadLetter()))).toEqual([
      '#1 m-1  dead letter (Kafka record)  sent 2026-01-01T00:00:02.000Z',
      '    reason MALFORMED_JSON (PermanentError: value could not be decoded: Unexpected token) in inventory at 2026-01-01T00:00:01.000Z',
      '    source t1-orders[2]@15',
    ]);
  });

  it('shows a Kafka failure record with its condition and offset ranges', () => {
    expect(formatDlqEntry(2, meta, classifyMessage(JSON.stringify(documentedKafkaFailureRecord)))).toEqual([
      '#2 m-1  Kafka ESM failure record  sent 2026-01-01T00:00:02.000Z',
      '    condition RetryAttemptsExhausted, 11 invocation(s), function error Unhandled, batch of 1, …',
      '    records orders[0] offsets 15..15 (… .. …)',
    ]);
  });

  it('shows a stream failure record with its shard and sequence range', () => {
    const lines = formatDlqEntry(3, meta, classifyMessage(JSON.stringify(documentedStreamFailureRecord)));
    expect(lines[0]).toBe('#3 m-1  DynamoDB Streams ESM failure record  sent 2026-01-01T00:00:02.000Z');
    expect(lines[2]).toBe(
      '    records shard shardId-00000001573689847184-864758bb sequence 800000000003126276362..800000000003126276362 (arrived from 2019-11-14T00:13:19Z)',
    );
  });

  it('shows an unknown message with the reason and the start of its body', () => {
    expect(formatDlqEntry(4, { messageId: 'm-4', body: 'hello' }, classifyMessage('hello'))).toEqual([
      '#4 m-4  unrecognised message',
      '    not recognised: body is not JSON',
      '    body: hello',
    ]);
  });
});
