/** Text for `dlq list`: one block per message, its kind first, then the reason and where its records are. */
import { type DlqEntry, KIND_LABEL } from './classify';

export interface MessageMeta {
  readonly messageId: string;
  /** SQS SentTimestamp as ISO-8601, when known. */
  readonly sentAt?: string;
  readonly receiveCount?: number;
  readonly body?: string;
}

export function formatDlqEntry(n: number, meta: MessageMeta, entry: DlqEntry): string[] {
  const head = `#${n} ${meta.messageId}  ${KIND_LABEL[entry.kind]}${meta.sentAt ? `  sent ${meta.sentAt}` : ''}`;
  return [head, ...detailLines(entry, meta).map((l) => `    ${l}`)];
}

function detailLines(entry: DlqEntry, meta: MessageMeta): string[] {
  switch (entry.kind) {
    case 'kafka-dead-letter':
      return [
        reasonLine(entry),
        `source ${entry.source.topic}[${entry.source.partition}]@${entry.source.offset}` +
          (entry.record ? '' : `  (record not in the message: ${entry.recordOmitted ?? 'omitted'})`),
      ];
    case 'stream-dead-letter':
      return [
        reasonLine(entry),
        `source stream record ${entry.source.sequenceNumber}` +
          (entry.source.pk ? ` (item ${entry.source.pk}${entry.source.sk ? ` / ${entry.source.sk}` : ''})` : ''),
      ];
    case 'kafka-failure':
      return [
        conditionLine(entry),
        ...entry.ranges.map(
          (r) =>
            `records ${r.topic}[${r.partition}] offsets ${r.firstOffset}..${r.lastOffset}` +
            (r.firstTimestamp ? ` (${r.firstTimestamp} .. ${r.lastTimestamp ?? '?'})` : ''),
        ),
      ];
    case 'stream-failure':
      return [
        conditionLine(entry),
        `records shard ${entry.shardId} sequence ${entry.startSequenceNumber}..${entry.endSequenceNumber}` +
          (entry.approximateArrivalOfFirstRecord ? ` (arrived from ${entry.approximateArrivalOfFirstRecord})` : ''),
        `stream ${entry.streamArn}`,
      ];
    case 'unknown':
      return [`not recognised: ${entry.problem}`, `body: ${(meta.body ?? '').slice(0, 300)}`];
  }
}

function reasonLine(e: {
  reason: string;
  errorName: string;
  errorMessage: string;
  functionName: string;
  failedAt?: string;
}) {
  const error = e.errorMessage ? ` (${e.errorName ? `${e.errorName}: ` : ''}${e.errorMessage})` : '';
  return `reason ${e.reason}${error}${e.functionName ? ` in ${e.functionName}` : ''}${e.failedAt ? ` at ${e.failedAt}` : ''}`;
}

function conditionLine(e: {
  condition: string;
  approximateInvokeCount?: number;
  functionError?: string;
  functionArn: string;
  batchSize: number;
}) {
  return (
    `condition ${e.condition}` +
    (e.approximateInvokeCount !== undefined ? `, ${e.approximateInvokeCount} invocation(s)` : '') +
    (e.functionError ? `, function error ${e.functionError}` : '') +
    `, batch of ${e.batchSize}` +
    (e.functionArn ? `, ${e.functionArn}` : '')
  );
}
