/**
 * Benchmark reports: each benchmark writes its figures to reports/bench/<name>.json, with the machine
 * and the time, so the README's Performance section can quote measured numbers. A smoke run
 * (bench/sizes.ts) writes to the git-ignored .local/bench-smoke/ instead, marked "mode": "smoke", so
 * it never replaces a report the README quotes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { SMOKE } from './sizes';

const ROOT = join(__dirname, '..');

/** The folder this mode's reports go to. */
export const reportDir = (smoke = SMOKE) => join(ROOT, ...(smoke ? ['.local', 'bench-smoke'] : ['reports', 'bench']));

export const reportFile = (name: string, smoke = SMOKE) => join(reportDir(smoke), `${name}.json`);

/** A report's path as the README and other reports name it: relative to the repository. */
export const repoPath = (file: string) => relative(ROOT, file);

export async function writeReport(name: string, figures: Record<string, unknown>): Promise<string> {
  await mkdir(reportDir(), { recursive: true });
  const file = reportFile(name);
  const report = {
    benchmark: name,
    mode: SMOKE ? 'smoke' : 'full',
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    figures,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report written: ${file}`);
  return file;
}
