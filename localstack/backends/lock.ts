/**
 * A lock file so two commands in the same checkout (say `npm start` in one terminal and a test run
 * in another) do not start or stop the same servers at once. A lock left by a dead process is
 * taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from './errors';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function holderAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    // Empty: the holder is between creating and writing the file (or died right there).
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(path).mtimeMs < 5000;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withLock<T>(stateDir: string, work: () => Promise<T>, waitMs = 300_000): Promise<T> {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, 'backends.lock');
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!holderAlive(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new BackendError(
          `Another command has held ${path} for ${waitMs / 1000} s; is it stuck? Remove the file if not.`,
        );
      }
      if (!announced) console.log('backends: another start/stop is in progress in this checkout; waiting ...');
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}
