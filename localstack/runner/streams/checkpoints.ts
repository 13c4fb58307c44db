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
}

export class MemoryCheckpoints implements CheckpointStore {
  protected readonly shards = new Map<string, ShardCheckpoint>();
  get(shardId: string): ShardCheckpoint | undefined {
    return this.shards.get(shardId);
  }
  set(shardId: string, checkpoint: ShardCheckpoint): void {
    this.shards.set(shardId, checkpoint);
  }
}

export class FileCheckpoints extends MemoryCheckpoints {
  private readonly path: string;

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
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ shards: Object.fromEntries(this.shards) }, null, 2));
    renameSync(tmp, this.path);
  }
}
