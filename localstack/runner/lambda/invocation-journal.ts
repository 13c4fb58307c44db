/**
 * The runner's invocation records kept on disk, one JSON object per line, so another process (the CLI's
 * `order trace`) can read what ran: `npm start` writes `.local/pipeline/<prefix or "default">/invocations.jsonl`
 * (PIPELINE_JOURNAL overrides the path), started afresh at each start. Writes are synchronous appends:
 * a line is complete once the invocation is reported, and a few hundred lines a second cost nothing.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { InvocationRecord, InvocationSink } from './invocation-log';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const JOURNAL_ENV = 'PIPELINE_JOURNAL';

export function journalPath(prefix: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[JOURNAL_ENV]?.trim();
  if (explicit) return resolve(explicit);
  return join(REPO_ROOT, '.local', 'pipeline', prefix || 'default', 'invocations.jsonl');
}

/** A sink appending each record to `path` (emptied first: one journal per pipeline run). */
export function journalSink(path: string): InvocationSink {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  return (record) => appendFileSync(path, `${JSON.stringify(record)}\n`);
}

/** Both sinks get every record (the console line and the journal). */
export const teeSink =
  (...sinks: readonly InvocationSink[]): InvocationSink =>
  (record) => {
    for (const sink of sinks) sink(record);
  };

/** The records of a journal; a line cut short by a crash mid-write is skipped. Throws ENOENT when absent. */
export function readJournal(path: string): InvocationRecord[] {
  const records: InvocationRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as InvocationRecord);
    } catch {
      // incomplete last line
    }
  }
  return records;
}
