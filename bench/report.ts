/**
 * Benchmark reports: each benchmark writes its figures to reports/bench/<name>.json, with the machine
 * and the time, so the README's Performance section can quote measured numbers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export async function writeReport(name: string, figures: Record<string, unknown>): Promise<string> {
  const dir = join(__dirname, '..', 'reports', 'bench');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const report = {
    benchmark: name,
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
