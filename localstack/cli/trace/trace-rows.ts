/**
 * One order's path as `order trace` prints it: one row per hop (a function handling one of the order's
 * records or requests), in time order. Locally the rows come from the runner's invocation journal
 * (localstack/runner/lambda/invocation-journal.ts), on AWS from X-Ray (xray-source.ts).
 */
import type { InvocationRecord } from '../../runner/lambda/invocation-log';

export interface TraceRow {
  /** When the invocation (locally) or the hop's subsegment (X-Ray) started, ISO 8601. */
  readonly at: string;
  readonly function: string;
  /** What invoked it: `kafka inventory-orders`, `dynamodb-stream outbox-relay`, `api`, `schedule …`. */
  readonly trigger: string;
  readonly eventType?: string;
  /** `orders/2@41` for a Kafka record, `seq 4900…` for a stream record. */
  readonly position?: string;
  readonly durationMs?: number;
  /** ok, failed (the record was reported for retry or the invocation failed), or the invocation's error. */
  readonly outcome: string;
  /** The trace of the order's record or request (X-Ray form). */
  readonly traceId?: string;
}

const positionOf = (h: { topic?: string; partition?: number; offset?: number; sequenceNumber?: string }) => {
  if (h.partition !== undefined && h.offset !== undefined) return `${h.topic ?? '?'}/${h.partition}@${h.offset}`;
  if (h.sequenceNumber) return `${h.topic ? `→ ${h.topic} ` : ''}seq ${h.sequenceNumber}`;
  return undefined;
};

/** The traceId of an X-Ray header (`Root=…`). */
const rootOf = (header: string | undefined) => /Root=([^;]+)/.exec(header ?? '')?.[1];

/** The order's hops among the runner's invocation records, oldest first. */
export function localTraceRows(records: readonly InvocationRecord[], orderId: string): TraceRow[] {
  const rows: TraceRow[] = [];
  for (const r of records) {
    for (const hop of r.hops ?? []) {
      if (hop.orderId !== orderId) continue;
      const position = positionOf(hop);
      // The order's trace the record carried; the invocation's own trace when it carried none.
      const traceId = hop.traceId ?? rootOf(r.traceHeader);
      const outcome = r.error ? `${r.outcome}: ${r.error.errorType}` : hop.outcome;
      rows.push({
        at: r.startedAt ?? '',
        function: r.function,
        trigger: r.trigger,
        ...(hop.eventType ? { eventType: hop.eventType } : {}),
        ...(position ? { position } : {}),
        durationMs: r.durationMs,
        outcome: r.injected ? `${outcome} (injected)` : outcome,
        ...(traceId ? { traceId } : {}),
      });
    }
  }
  return sortRows(rows);
}

export const sortRows = (rows: TraceRow[]): TraceRow[] =>
  rows.sort((a, b) => a.at.localeCompare(b.at) || a.function.localeCompare(b.function));

/** `12:00:01.234  inventory  ← kafka inventory-orders  OrderCreated  orders/2@41  18 ms  ok` */
export function formatTraceRow(row: TraceRow): string {
  const time = row.at.slice(11, 23) || '?';
  const cells = [
    time,
    row.function.padEnd(14),
    `← ${row.trigger}`.padEnd(34),
    (row.eventType ?? '').padEnd(18),
    (row.position ?? '').padEnd(22),
    row.durationMs === undefined ? '' : `${Math.round(row.durationMs)} ms`.padStart(7),
    row.outcome,
  ];
  return cells.join('  ').trimEnd();
}
