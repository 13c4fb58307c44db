import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { type DeadLetter, deadLetterBody, sendDeadLetter } from './dead-letter';

const letter: DeadLetter = {
  reason: 'MALFORMED_JSON',
  errorName: 'PermanentError',
  errorMessage: 'value is not a JSON object',
  functionName: 'inventory',
  source: { kind: 'kafka', topic: 'orders', partition: 2, offset: 41 },
  record: { key: 'b3JkZXI=', value: 'bm90IGpzb24=' },
};

describe('dead letters', () => {
  it('carries reason, source coordinates, the original record and the failure time', () => {
    const body = JSON.parse(deadLetterBody(letter, new Date('2026-11-23T10:00:00Z')));
    expect(body).toEqual({ ...letter, failedAt: '2026-11-23T10:00:00.000Z' });
  });

  it('keeps a huge record by reference only, within the SQS size limit', () => {
    const huge = { ...letter, record: { value: 'x'.repeat(400 * 1024) } };
    const body = deadLetterBody(huge);
    expect(Buffer.byteLength(body)).toBeLessThan(256 * 1024);
    const parsed = JSON.parse(body);
    expect(parsed.source).toEqual(letter.source);
    expect(parsed.record.omitted).toMatch(/too large/);
  });

  it('propagates an SQS failure so the caller can report the record instead of dropping it', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).rejects(new Error('ServiceUnavailable'));
    await expect(sendDeadLetter('http://q', letter)).rejects.toThrow('ServiceUnavailable');
    sqs.restore();
  });
});
