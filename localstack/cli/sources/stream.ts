/**
 * DynamoDB Streams for the redrive of the relay's failure records: DDBStreamBatchInfo names a shard and a
 * sequence-number range, never the records, so they are read back from the stream (AT_SEQUENCE_NUMBER
 * start, up to the end number). Stream records live 24 hours; past that DynamoDB has trimmed them and the
 * range cannot be read back from anywhere, which the error says plainly.
 */
import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CliError } from '../io';

export interface ShardRange {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/**
 * Sequence numbers are 21+ digit strings; DynamoDB Local pads them with zeros and refuses shorter ones. A
 * failure record whose numbers went through an integer type lost that padding, so it is put back.
 */
const asSequenceNumber = (n: string): string => n.padStart(21, '0');

/** Empty pages in a row before an open shard is taken to have nothing more (AWS may return empty pages). */
const MAX_EMPTY_PAGES = 10;

const PAST_RETENTION =
  'DynamoDB Streams keeps records for 24 hours; these have been trimmed, so they cannot be redriven from the ' +
  'stream. The outbox items may still be in the orders table until their TTL removes them: re-insert them ' +
  '(new eventId not needed: consumers deduplicate by eventId) or accept the loss; the message stays in the DLQ.';

export async function readShardRange(
  streams: DynamoDBStreamsClient,
  range: ShardRange,
  onPage?: (recordsSoFar: number) => void,
): Promise<_Record[]> {
  const start = BigInt(range.startSequenceNumber);
  const end = BigInt(range.endSequenceNumber);
  const where = `shard ${range.shardId} of ${range.streamArn}, sequence ${start}..${end}`;
  let iterator: string | undefined;
  try {
    iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: range.streamArn,
          ShardId: range.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: asSequenceNumber(range.startSequenceNumber),
        }),
      )
    ).ShardIterator;
  } catch (err) {
    throw explain(err, where);
  }
  const records: _Record[] = [];
  let emptyPages = 0;
  while (iterator) {
    const out = await streams
      .send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }))
      .catch((err: unknown) => Promise.reject(explain(err, where)));
    const page = out.Records ?? [];
    emptyPages = page.length === 0 ? emptyPages + 1 : 0;
    for (const r of page) {
      const seq = BigInt(r.dynamodb?.SequenceNumber ?? '-1');
      if (seq > end) return records;
      if (seq >= start) records.push(r);
    }
    onPage?.(records.length);
    if (emptyPages >= MAX_EMPTY_PAGES) break;
    iterator = out.NextShardIterator;
  }
  const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
  if (last === undefined || BigInt(last) < end) {
    throw new CliError(
      `read ${records.length} records of ${where}, but the shard has nothing up to ${end}: the range is wrong, ` +
        `or the records were trimmed. ${PAST_RETENTION}`,
    );
  }
  return records;
}

function explain(err: unknown, where: string): Error {
  const name = (err as Error)?.name;
  if (name === 'TrimmedDataAccessException') return new CliError(`${where}: ${PAST_RETENTION}`);
  if (name === 'ResourceNotFoundException') {
    return new CliError(
      `${where} no longer exists: a closed shard is removed 24 hours after it closes, and the stream goes when ` +
        `the table or its stream is deleted. ${PAST_RETENTION}`,
    );
  }
  return err as Error;
}
