/**
 * The twin of one Amazon MSK event source mapping (lib/topology.ts KafkaMappingSpec). A kafkajs consumer
 * in the mapping's consumer group (TRIM_HORIZON for a new group) feeds a PartitionBuffer; batches are cut
 * by batch size / batching window across partitions, at most one in flight per partition, and each is
 * driven through the documented error handling (esm/retry-driver.ts). A partition's offset is committed
 * only past finished records (processed, or reported to the on-failure queue), so a restart resumes after
 * the last success. A new group starts at TRIM_HORIZON, LATEST or AT_TIMESTAMP (the first record at or after
 * the timestamp, per partition; none → the end); a group with committed offsets resumes from them, as
 * Lambda ignores StartingPosition for an existing group
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-consumer-group-id.html). Fetching never waits for a slow batch: a partition with enough waiting records is
 * paused instead, so one failing partition does not hold up the others.
 */

import type { SQSClient } from '@aws-sdk/client-sqs';
import { type Consumer, type EachBatchPayload, Kafka, logLevel } from 'kafkajs';
import { mappingLimitProblems } from '../../../lib/aws-limits';
import type { KafkaMappingSpec } from '../../../lib/topology';
import { kafkaFailureRecord } from '../esm/failure-record';
import { sendToOnFailureQueue } from '../esm/on-failure-queue';
import { identifyKafkaItem } from '../esm/partial-response';
import { type Backoff, driveBatch, retryDelay } from '../esm/retry-driver';
import type { Exhaustion, Invokable } from '../esm/types';
import { WakeableSleeps } from '../esm/wakeable-sleep';
import { kafkaHops } from '../lambda/hops';
import { fromKafkajs, type KafkaRecord, laneOf, localClusterArn, mskEvent } from './msk-event';
import { PartitionBuffer } from './partition-buffer';

export interface KafkaEsmOptions {
  readonly mapping: KafkaMappingSpec;
  /** Physical topic and consumer group (the runner may prefix them). */
  readonly topic: string;
  readonly groupId: string;
  readonly brokers: readonly string[];
  readonly fn: Invokable;
  readonly failureQueueUrl: string;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly accountId: string;
  /** Delay before retry n: base · 2^(n-1), at most cap (default 100 ms .. 1 s). */
  readonly backoff?: Backoff;
  readonly log?: (line: string) => void;
}

/** Records a partition may hold before it is paused (fetching resumes when its batches drain). */
const PAUSE_THRESHOLD = 1000;

export class KafkaEsm {
  readonly eventSourceArn: string;
  private readonly buffer = new PartitionBuffer();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pausedLanes = new Set<string>();
  private readonly sleeps = new WakeableSleeps();
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly o: KafkaEsmOptions) {
    // The limits CreateEventSourceMapping sets (the CDK checks the same ones); fractions of a second are
    // accepted here, for tests and MSK's 0.5 s default.
    const problems = mappingLimitProblems(o.mapping, { wholeSecondWindow: false });
    if (problems.length > 0) throw new Error(`${o.mapping.id}: ${problems.join('; ')}`);
    this.eventSourceArn = localClusterArn(o.region, o.accountId);
  }

  private get bootstrapServers(): string {
    return this.o.brokers.join(',');
  }

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: `esm-${this.o.mapping.id}`,
      brokers: [...this.o.brokers],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: this.o.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onAssignment(e.payload.memberAssignment));
    if (this.o.mapping.startingPosition === 'AT_TIMESTAMP') await this.startAtTimestamp(kafka);
    await consumer.connect();
    this.consumer = consumer;
    await consumer.subscribe({
      topic: this.o.topic,
      fromBeginning: this.o.mapping.startingPosition === 'TRIM_HORIZON',
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onFetched(payload),
    });
  }

  /**
   * AT_TIMESTAMP for a group without committed offsets: commits, for every partition, the offset of its
   * first record at or after the timestamp (Kafka's ListOffsets by time; the log end when there is none),
   * so the consumer then starts there like any group resuming from its offsets.
   */
  private async startAtTimestamp(kafka: Kafka): Promise<void> {
    const seconds = this.o.mapping.startingPositionTimestamp;
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
      throw new Error(`${this.o.mapping.id}: AT_TIMESTAMP needs startingPositionTimestamp (Unix seconds)`);
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: this.o.groupId, topics: [this.o.topic] });
      if (committed?.partitions.some((p) => Number(p.offset) >= 0)) return; // an existing group resumes
      const partitions = await admin.fetchTopicOffsetsByTimestamp(this.o.topic, seconds * 1000);
      await admin.setOffsets({ groupId: this.o.groupId, topic: this.o.topic, partitions });
    } finally {
      await admin.disconnect();
    }
  }

  /** Graceful stop: no new batches; in-flight ones finish their current invocation and commit; leave the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.sleeps.stop();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Resolves when no record is waiting or in flight (tests, drain). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || this.buffer.lanes().some((l) => this.buffer.waiting(l) > 0)) {
      if (Date.now() > deadline) throw new Error(`${this.o.mapping.id}: not idle after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async onFetched({ batch, resolveOffset }: EachBatchPayload): Promise<void> {
    if (this.stopping || batch.messages.length === 0) return;
    const now = Date.now();
    this.buffer.add(batch.messages.map((m) => fromKafkajs(batch.topic, batch.partition, m, now)));
    // Advance the fetch position; the committed offset moves only when records are finished.
    resolveOffset(batch.lastOffset());
    const lane = laneOf(batch.topic, batch.partition);
    if (this.buffer.waiting(lane) >= PAUSE_THRESHOLD && !this.pausedLanes.has(lane)) {
      this.pausedLanes.add(lane);
      this.consumer?.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
    }
    this.schedule();
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    const assigned = new Set((assignment[this.o.topic] ?? []).map((p) => laneOf(this.o.topic, p)));
    // Records of partitions now owned by another member are theirs to deliver.
    for (const lane of this.buffer.lanes()) if (!assigned.has(lane)) this.buffer.drop(lane);
  }

  /** Cuts every batch that is due now and sets a timer for the next one. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopping) return;
    const { batchSize, maxBatchingWindowSeconds } = this.o.mapping;
    for (;;) {
      const due = this.buffer.dueIn(Date.now(), batchSize, maxBatchingWindowSeconds * 1000);
      if (due === undefined) return;
      if (due > 0) {
        this.timer = setTimeout(() => this.schedule(), due);
        return;
      }
      const records = this.buffer.take(batchSize);
      if (records.length === 0) return;
      const run = this.process(records).finally(() => {
        this.inFlight.delete(run);
        const lanes = new Set(records.map((r) => r.lane));
        this.buffer.release(lanes);
        this.resumeDrained(lanes);
        this.schedule();
      });
      this.inFlight.add(run);
    }
  }

  private resumeDrained(lanes: Set<string>): void {
    for (const lane of lanes) {
      if (!this.pausedLanes.has(lane) || this.buffer.waiting(lane) >= PAUSE_THRESHOLD / 2) continue;
      this.pausedLanes.delete(lane);
      const partition = Number(lane.slice(lane.lastIndexOf('-') + 1));
      this.consumer?.resume([{ topic: this.o.topic, partitions: [partition] }]);
    }
  }

  private async process(records: KafkaRecord[]): Promise<void> {
    const { mapping, fn } = this.o;
    const finished = new Map<number, bigint>(); // partition → next offset after its finished records
    try {
      await driveBatch(records, mapping, {
        invoke: (batch) =>
          fn.invoke(this.event(batch), {
            trigger: `kafka ${mapping.id}`,
            batchSize: batch.length,
            hops: kafkaHops(batch),
          }),
        identify: identifyKafkaItem,
        complete: async (done) => {
          for (const r of done)
            if ((finished.get(r.partition) ?? -1n) <= r.position) finished.set(r.partition, r.position + 1n);
          await this.commit(done);
        },
        exhausted: (e) => this.sendFailureRecord(e),
        backoff: (retry) => this.sleeps.sleep(retryDelay(retry, this.o.backoff)),
        shouldContinue: () => !this.stopping,
      });
    } catch (err) {
      // Invocation or destination failure outside the function (e.g. SQS down): read the partitions'
      // unfinished records again from their committed offsets, after a pause.
      this.o.log?.(`${mapping.id}: batch failed outside the function (${(err as Error).message}); re-reading`);
      await this.sleeps.sleep(1000);
      await this.rewind(records, finished);
    }
  }

  private event(records: readonly KafkaRecord[]) {
    return mskEvent(records, { eventSourceArn: this.eventSourceArn, bootstrapServers: this.bootstrapServers });
  }

  private async commit(done: readonly KafkaRecord[]): Promise<void> {
    const next = new Map<number, bigint>();
    for (const r of done) if ((next.get(r.partition) ?? -1n) < r.position + 1n) next.set(r.partition, r.position + 1n);
    const offsets = [...next].map(([partition, offset]) => ({
      topic: this.o.topic,
      partition,
      offset: String(offset),
    }));
    try {
      await this.consumer?.commitOffsets(offsets);
    } catch (err) {
      // A rebalance moved the partition: the new owner reads from the last commit (at-least-once, as in AWS).
      this.o.log?.(`${this.o.mapping.id}: commit failed (${(err as Error).message}); records may be delivered again`);
    }
  }

  private async sendFailureRecord(e: Exhaustion<KafkaRecord>): Promise<void> {
    const record = kafkaFailureRecord({
      exhaustion: e,
      functionArn: this.o.fn.arn,
      eventSourceArn: this.eventSourceArn,
      bootstrapServers: this.bootstrapServers,
      payloadSize: Buffer.byteLength(JSON.stringify(this.event(e.records))),
    });
    await sendToOnFailureQueue(
      { sqs: this.o.sqs, queueUrl: this.o.failureQueueUrl, mappingId: this.o.mapping.id, log: this.o.log },
      record,
      e,
    );
  }

  /** Re-reads each partition of a batch from its first unfinished record. */
  private async rewind(records: readonly KafkaRecord[], finished: ReadonlyMap<number, bigint>): Promise<void> {
    const from = new Map<number, bigint>();
    for (const r of records) {
      if (r.position < (finished.get(r.partition) ?? 0n)) continue;
      if (!from.has(r.partition) || (from.get(r.partition) as bigint) > r.position) from.set(r.partition, r.position);
    }
    for (const [partition, offset] of from) {
      this.buffer.drop(laneOf(this.o.topic, partition));
      this.consumer?.seek({ topic: this.o.topic, partition, offset: String(offset) });
    }
  }
}
