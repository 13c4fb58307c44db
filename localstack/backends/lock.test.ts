import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from './lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backends-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two callers in one checkout run one after the other, and the lock is released', async () => {
  const events: string[] = [];
  const job = (name: string) => async () => {
    events.push(`${name} in`);
    await sleep(300);
    events.push(`${name} out`);
  };
  await Promise.all([withLock(dir, job('a')), withLock(dir, job('b'))]);
  expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  expect(existsSync(join(dir, 'backends.lock'))).toBe(false);
});

test('a lock left by a process that no longer exists is taken over', async () => {
  writeFileSync(join(dir, 'backends.lock'), '2147483646'); // above any real pid_max
  await expect(withLock(dir, async () => 'ran')).resolves.toBe('ran');
});

test('the lock is released when the work fails', async () => {
  await expect(
    withLock(dir, async () => {
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(existsSync(join(dir, 'backends.lock'))).toBe(false);
});
