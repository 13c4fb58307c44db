/**
 * The twin of a DynamoDB Streams event source mapping (lib/topology.ts StreamMappingSpec). It reads every
 * shard of the stream (a child only after its parent is finished), from TRIM_HORIZON or its checkpoint,
 * polling GetRecords like Lambda's pollers (4 times a second per shard). Records are turned into the
 * Lambda stream record shape, filtered with the mapping's filter criteria (filtered-out records are
 * skipped and checkpointed, never delivered), batched by size / window and driven through the documented
 * error handling (esm/retry-driver.ts): partial batch responses by SequenceNumber, retries, bisect, and
 * the DDBStreamBatchInfo failure record to the on-failure queue.
 */

import { join, resolve } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { mappingLimitProblems } from '../../../lib/aws-limits';
import type { StreamMappingSpec } from '../../../lib/topology';
import { clientConfig, type LocalEndpoints } from '../endpoints';
import { streamFailureRecord } from '../esm/failure-record';
import { sendToOnFailureQueue } from '../esm/on-failure-queue';
import { identifyStreamItem } from '../esm/partial-response';
import { type Backoff, driveBatch, retryDelay } from '../esm/retry-driver';
import type { Exhaustion, Invokable } from '../esm/types';
import { WakeableSleeps } from '../esm/wakeable-sleep';
import { streamHops } from '../lambda/hops';
import { type CheckpointStore, FileCheckpoints } from './checkpoints';
import { compileFilters, type RecordFilter } from './filter-pattern';
import { batchDue, cutBatch, type Pending } from './stream-batching';
import { type StreamTwinRecord, toLambdaRecord, twinRecord } from './stream-record';

export interface StreamEsmOptions {
  readonly mapping: StreamMappingSpec;
  readonly streamArn: string;
  readonly fn: Invokable;
  readonly failureQueueUrl: string;
  readonly endpoints: LocalEndpoints;
  readonly sqs: SQSClient;
  readonly backoff?: Backoff;
  readonly log?: (line: string) => void;
  /** Default: a file per mapping and stream under .local/checkpoints. */
  readonly checkpoints?: CheckpointStore;
  readonly pollIntervalMs?: number;
  /** How often new shards are looked for. */
  readonly describeIntervalMs?: number;
}

const CHECKPOINT_DIR = join(resolve(__dirname, '..', '..', '..'), '.local', 'checkpoints');

export class StreamEsm {
  private readonly filter: RecordFilter;
  private readonly checkpoints: CheckpointStore;
  private readonly client: DynamoDBStreamsClient;
  private readonly readers = new Map<string, Promise<void>>();
  /** Per shard: when its last poll found nothing new and nothing was waiting (for idle()). */
  private readonly caughtUpAt = new Map<string, number>();
  private readonly sleeps = new WakeableSleeps();
  private discovery: Promise<void> | undefined;
  private wakeDiscovery: (() => void) | undefined;
  private stopping = false;

  constructor(private readonly o: StreamEsmOptions) {
    // The limits CreateEventSourceMapping sets, as the CDK checks them (fractional windows allowed here).
    const problems = mappingLimitProblems(o.mapping, { wholeSecondWindow: false });
    if (problems.length > 0) throw new Error(`${o.mapping.id}: ${problems.join('; ')}`);
    this.filter = compileFilters(o.mapping.filterPatterns);
    this.checkpoints = o.checkpoints ?? new FileCheckpoints(CHECKPOINT_DIR, o.mapping.id, o.streamArn);
    this.client = new DynamoDBStreamsClient(clientConfig(o.endpoints, o.endpoints.dynamodbStreams));
    if (o.mapping.parallelizationFactor !== 1) {
      o.log?.(
        `${o.mapping.id}: parallelizationFactor ${o.mapping.parallelizationFactor} runs as 1 locally (same order per key)`,
      );
    }
  }

  async start(): Promise<void> {
    const shards = await this.describe(); // a wrong stream ARN fails here, at start-up
    this.startReaders(shards);
    this.discovery = this.discover();
  }

  /** No new batches; the batch in flight finishes its current invocation and checkpoints. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeps.stop();
    this.wakeDiscovery?.();
    await this.discovery;
    await Promise.allSettled([...this.readers.values()]);
    this.checkpoints.flush();
    this.client.destroy();
  }

  /** Resolves once every shard has been polled empty, with nothing in flight, after this call. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const since = Date.now();
    const deadline = since + timeoutMs;
    for (;;) {
      const open = [...this.readers.keys()].filter((id) => !this.checkpoints.get(id)?.finished);
      if (open.every((id) => (this.caughtUpAt.get(id) ?? 0) > since)) return;
      if (Date.now() > deadline) throw new Error(`${this.o.mapping.id}: not idle after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.o.streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async discover(): Promise<void> {
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.describeIntervalMs ?? 5000);
        this.wakeDiscovery = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) return;
      try {
        this.startReaders(await this.describe());
      } catch (err) {
        this.o.log?.(`${this.o.mapping.id}: DescribeStream failed (${(err as Error).message}); will retry`);
      }
    }
  }

  /** Starts a reader for each shard not yet read; a child waits until its parent shard is finished. */
  private startReaders(shards: Shard[]): void {
    const known = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId;
      if (!id || this.readers.has(id) || this.checkpoints.get(id)?.finished) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.checkpoints.get(parent)?.finished) continue;
      this.readers.set(id, this.readShard(id));
    }
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints.get(shardId)?.sequenceNumber;
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.o.streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: this.o.mapping.startingPosition }),
      }),
    );
    return out.ShardIterator;
  }

  private async readShard(shardId: string): Promise<void> {
    const { mapping } = this.o;
    const poll = this.o.pollIntervalMs ?? 250;
    let queue: Pending[] = [];
    let iterator: string | undefined;
    let closed = false;
    while (!this.stopping) {
      let fetched = 0;
      try {
        if (!closed) {
          iterator ??= await this.iterator(shardId);
          if (!iterator) closed = true;
          else {
            const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
            iterator = out.NextShardIterator;
            if (!iterator) closed = true;
            const now = Date.now();
            for (const r of out.Records ?? []) {
              const record = toLambdaRecord(r, { region: this.o.endpoints.region, streamArn: this.o.streamArn });
              const bytes = Buffer.byteLength(JSON.stringify(record));
              queue.push({ twin: twinRecord(shardId, record), kept: this.filter(record), arrivedAt: now, bytes });
            }
            fetched = out.Records?.length ?? 0;
          }
        }
        const limits = { batchSize: mapping.batchSize, windowMs: mapping.maxBatchingWindowSeconds * 1000 };
        while (queue.length > 0 && batchDue(queue, closed, limits, Date.now())) {
          const segment = cutBatch(queue, limits.batchSize);
          queue = queue.slice(segment.length);
          const kept = segment.filter((p) => p.kept).map((p) => p.twin);
          if (kept.length > 0 && (await this.deliver(shardId, kept)) === 'aborted') return;
          this.checkpoint(shardId, segment[segment.length - 1]?.twin);
        }
      } catch (err) {
        if (err instanceof TrimmedDataAccessException) {
          this.o.log?.(`${mapping.id}: records of ${shardId} past retention were trimmed; continuing at TRIM_HORIZON`);
          this.checkpoints.set(shardId, {});
        } else if (!(err instanceof ExpiredIteratorException)) {
          this.o.log?.(
            `${mapping.id}: reading ${shardId} failed (${(err as Error).message}); resuming from the checkpoint`,
          );
          await this.sleeps.sleep(1000);
        }
        // Read again from the last checkpoint: unfinished records come back, in order.
        queue = [];
        iterator = undefined;
        closed = false;
        continue;
      }
      if (closed && queue.length === 0) {
        this.checkpoints.set(shardId, { ...this.checkpoints.get(shardId), finished: true });
        this.o.log?.(`${mapping.id}: shard ${shardId} finished`);
        this.wakeDiscovery?.(); // its children may start now
        return;
      }
      if (fetched === 0) {
        if (queue.length === 0) this.caughtUpAt.set(shardId, Date.now());
        await this.sleeps.sleep(queue.length > 0 ? Math.min(poll, 50) : poll);
      }
    }
  }

  private deliver(shardId: string, records: StreamTwinRecord[]) {
    const { mapping, fn } = this.o;
    return driveBatch(records, mapping, {
      invoke: (batch) =>
        fn.invoke(
          { Records: batch.map((t) => t.record) },
          {
            trigger: `dynamodb-stream ${mapping.id}`,
            batchSize: batch.length,
            hops: streamHops(batch.map((t) => t.record)),
          },
        ),
      identify: identifyStreamItem(shardId),
      complete: async (done) => {
        this.checkpoint(
          shardId,
          done.reduce<StreamTwinRecord | undefined>(
            (max, t) => (!max || t.position > max.position ? t : max),
            undefined,
          ),
        );
      },
      exhausted: (e) => this.sendFailureRecord(e),
      backoff: (retry) => this.sleeps.sleep(retryDelay(retry, this.o.backoff)),
      shouldContinue: () => !this.stopping,
    });
  }

  /** Moves the shard's checkpoint forward to this record (never back). */
  private checkpoint(shardId: string, last: StreamTwinRecord | undefined): void {
    if (!last) return;
    const current = this.checkpoints.get(shardId)?.sequenceNumber;
    if (current !== undefined && BigInt(current) >= last.position) return;
    this.checkpoints.set(shardId, { sequenceNumber: last.sequenceNumber });
  }

  private async sendFailureRecord(e: Exhaustion<StreamTwinRecord>): Promise<void> {
    const record = streamFailureRecord({ exhaustion: e, functionArn: this.o.fn.arn, streamArn: this.o.streamArn });
    await sendToOnFailureQueue(
      { sqs: this.o.sqs, queueUrl: this.o.failureQueueUrl, mappingId: this.o.mapping.id, log: this.o.log },
      record,
      e,
    );
  }
}
