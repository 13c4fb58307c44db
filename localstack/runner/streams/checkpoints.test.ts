/** The stream mappings' checkpoint file: coalesced writes, durable on flush, read back by the next runner. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_WRITE_DELAY_MS, FileCheckpoints } from './checkpoints';

const ARN = 'arn:aws:dynamodb:local:000000000000:table/orders/stream/2026-12-04T00:00:00.000';

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
  const file = () => {
    const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    return names[0] ? join(dir, names[0]) : undefined;
  };
  return { dir, file, open: () => new FileCheckpoints(dir, 'relay', ARN) };
}

const saved = (path: string | undefined) =>
  path && existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { shards: Record<string, unknown> }).shards
    : undefined;

describe('FileCheckpoints', () => {
  test('a new checkpoint is in memory at once and on disk within the write delay, many sets in one write', async () => {
    const s = store();
    const checkpoints = s.open();
    for (let n = 1; n <= 50; n++) checkpoints.set('shard-1', { sequenceNumber: String(n) });
    expect(checkpoints.get('shard-1')).toEqual({ sequenceNumber: '50' });
    expect(saved(s.file())).toBeUndefined(); // not written per set
    await new Promise((r) => setTimeout(r, CHECKPOINT_WRITE_DELAY_MS + 100));
    expect(saved(s.file())).toEqual({ 'shard-1': { sequenceNumber: '50' } });
    expect(readdirSync(s.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  test('flush writes at once, and a store opened on the same file resumes from it', () => {
    const s = store();
    const checkpoints = s.open();
    checkpoints.set('shard-1', { sequenceNumber: '7' });
    checkpoints.set('shard-0', { finished: true });
    checkpoints.flush();
    expect(saved(s.file())).toEqual({ 'shard-1': { sequenceNumber: '7' }, 'shard-0': { finished: true } });
    const next = s.open();
    expect(next.get('shard-1')).toEqual({ sequenceNumber: '7' });
    expect(next.get('shard-0')).toEqual({ finished: true });
  });

  test('a store killed before its write leaves the previous checkpoint (records after it come again)', () => {
    const s = store();
    const first = s.open();
    first.set('shard-1', { sequenceNumber: '3' });
    first.flush();
    first.set('shard-1', { sequenceNumber: '9' }); // never written: the process "dies" here
    expect(s.open().get('shard-1')).toEqual({ sequenceNumber: '3' });
  });
});
