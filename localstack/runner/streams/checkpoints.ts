/**
 * Where a DynamoDB Streams mapping has got to in each shard, as Lambda keeps it for an event source
 * mapping: the last finished sequence number, or that the (closed) shard is done. Kept in a JSON file per
 * mapping and stream so a restarted runner resumes instead of replaying the stream's 24 hours; a new
 * stream (DynamoDB Local restarted: new ARN) starts clean at TRIM_HORIZON.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShardCheckpoint {
  /** Last sequence number whose record is finished (processed, filtered out, or sent to the failure queue). */
  readonly sequenceNumber?: string;
  /** The shard is closed and every record of it is finished. */
  readonly finished?: boolean;
}

export interface CheckpointStore {
  get(shardId: string): ShardCheckpoint | undefined;
  set(shardId: string, checkpoint: ShardCheckpoint): void;
  /** Makes every checkpoint set so far durable (the mapping stops). */
  flush(): void;
}

export class MemoryCheckpoints implements CheckpointStore {
  protected readonly shards = new Map<string, ShardCheckpoint>();
  get(shardId: string): ShardCheckpoint | undefined {
    return this.shards.get(shardId);
  }
  set(shardId: string, checkpoint: ShardCheckpoint): void {
    this.shards.set(shardId, checkpoint);
  }
  flush(): void {}
}

/** How long a new checkpoint may wait in memory before it is written. */
export const CHECKPOINT_WRITE_DELAY_MS = 250;

/**
 * Writes are coalesced: the file is rewritten at most once per CHECKPOINT_WRITE_DELAY_MS, and at once on
 * `flush()` (stop). A synchronous write and rename per batch cost the runner's event loop ~5 % of its CPU
 * at 10 orders/s (bench/profile.bench.ts). A runner killed before a write resumes from the checkpoint
 * before: those records are delivered again, which Lambda's own mappings also do after a failure (at least
 * once); the relay publishes idempotently and the consumers make redeliveries change nothing.
 */
export class FileCheckpoints extends MemoryCheckpoints {
  private readonly path: string;
  private pending: NodeJS.Timeout | undefined;

  constructor(dir: string, mappingId: string, streamArn: string) {
    super();
    mkdirSync(dir, { recursive: true });
    const key = `${mappingId}__${streamArn}`.replace(/[^A-Za-z0-9._-]+/g, '_');
    this.path = join(dir, `${key}.json`);
    try {
      const saved = JSON.parse(readFileSync(this.path, 'utf8')) as { shards?: Record<string, ShardCheckpoint> };
      for (const [id, c] of Object.entries(saved.shards ?? {})) this.shards.set(id, c);
    } catch {
      // no checkpoint yet (or an unreadable one): start at TRIM_HORIZON, as a new mapping does
    }
  }

  override set(shardId: string, checkpoint: ShardCheckpoint): void {
    super.set(shardId, checkpoint);
    this.pending ??= setTimeout(() => this.flush(), CHECKPOINT_WRITE_DELAY_MS).unref();
  }

  override flush(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ shards: Object.fromEntries(this.shards) }, null, 2));
    renameSync(tmp, this.path);
  }
}
