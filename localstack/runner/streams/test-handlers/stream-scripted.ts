/**
 * Test handler for the DynamoDB Streams ESM twin: the new image's `action` attribute says what to do.
 * "ok" · "throw" (fails the whole invocation) · "fail" (reported by SequenceNumber every time) ·
 * "fail-once" (reported the first time this environment sees it).
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';

const seen = new Map<string, number>();

export const handler = async (event: DynamoDBStreamEvent) => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const r of event.Records) {
    const seq = r.dynamodb?.SequenceNumber ?? '';
    const action = r.dynamodb?.NewImage?.action?.S ?? 'ok';
    const count = (seen.get(seq) ?? 0) + 1;
    seen.set(seq, count);
    if (action === 'throw') throw new Error(`poison record ${seq}`);
    if (action === 'fail' || (action === 'fail-once' && count === 1)) batchItemFailures.push({ itemIdentifier: seq });
  }
  return { batchItemFailures };
};
