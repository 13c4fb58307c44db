/**
 * One line per invocation, for people (`inventory ← kafka inventory.orders · 3 records · 41 ms · ok`) or
 * machines (JSON, one object per line).
 */
import type { Hop } from './hops';

export type Outcome = 'ok' | 'partial' | 'error' | 'timeout';

export interface InvocationRecord {
  readonly function: string;
  /** What invoked it: `kafka <mapping>`, `dynamodb-stream <mapping>`, `api POST /orders`, ... */
  readonly trigger: string;
  readonly batchSize?: number;
  readonly durationMs: number;
  readonly outcome: Outcome;
  readonly requestId: string;
  readonly coldStart: boolean;
  /** Failed items reported in a partial batch response. */
  readonly failedItems?: number;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** A fault injected by the runner instead of running the handler. */
  readonly injected?: boolean;
  /** When the invocation started (ISO 8601). */
  readonly startedAt?: string;
  /** The invocation's X-Ray trace header (`_X_AMZN_TRACE_ID`), as Lambda would set it. */
  readonly traceHeader?: string;
  /** The orders it worked for, one hop per record or request (hops.ts). */
  readonly hops?: readonly Hop[];
}

export type InvocationSink = (record: InvocationRecord) => void;

export function formatInvocation(r: InvocationRecord): string {
  const parts = [`${r.function} ← ${r.trigger}`];
  if (r.batchSize !== undefined) parts.push(`${r.batchSize} record${r.batchSize === 1 ? '' : 's'}`);
  parts.push(`${Math.round(r.durationMs)} ms${r.coldStart ? ' (cold)' : ''}`);
  let outcome: string = r.outcome;
  if (r.outcome === 'partial') outcome = `partial: ${r.failedItems} failed`;
  if (r.error) outcome = `${r.outcome}: ${r.error.errorType}: ${r.error.errorMessage}`;
  parts.push(r.injected ? `${outcome} (injected)` : outcome);
  return parts.join(' · ');
}

export const textSink =
  (write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): InvocationSink =>
  (r) =>
    write(formatInvocation(r));

export const jsonSink =
  (write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): InvocationSink =>
  (r) =>
    write(JSON.stringify({ type: 'invocation', time: new Date().toISOString(), ...r }));

/** Number of items in a partial batch response, 0 when the result is not one. */
export function failedItemCount(payload: unknown): number {
  const failures = (payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}
