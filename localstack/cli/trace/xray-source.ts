/**
 * `order trace --target aws`: the order's hops from X-Ray. Every hop is a subsegment the functions'
 * Tracer annotates with orderId (functions/shared/tracing.ts), so one filter expression finds every
 * trace of the order: GetTraceSummaries with `annotation.orderId = "<id>"` (its time range is at most
 * 24 hours per call, so longer ranges are asked for day by day), then BatchGetTraces (5 ids a call)
 * for the segment documents, whose `### …` subsegments carrying that annotation are the rows.
 * https://docs.aws.amazon.com/xray/latest/api/API_GetTraceSummaries.html
 * https://docs.aws.amazon.com/xray/latest/api/API_BatchGetTraces.html
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 */
import { BatchGetTracesCommand, GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import { sortRows, type TraceRow } from './trace-rows';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH_GET_MAX_IDS = 5;

interface SegmentDocument {
  readonly id?: string;
  readonly name?: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly metadata?: { readonly hop?: { readonly source?: { topic?: string; partition?: number; offset?: number } } };
  readonly subsegments?: readonly SegmentDocument[];
}

/** The filter expression of one order (quotes in the id escaped). */
export const orderFilter = (orderId: string): string => `annotation.orderId = "${orderId.replaceAll('"', '\\"')}"`;

export async function xrayTraceRows(
  xray: XRayClient,
  orderId: string,
  range: { readonly from: Date; readonly to: Date },
): Promise<TraceRow[]> {
  const traceIds = new Set<string>();
  for (let start = range.from.getTime(); start < range.to.getTime(); start += DAY_MS) {
    const end = new Date(Math.min(start + DAY_MS, range.to.getTime()));
    let next: string | undefined;
    do {
      const page = await xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(start),
          EndTime: end,
          FilterExpression: orderFilter(orderId),
          NextToken: next,
        }),
      );
      for (const s of page.TraceSummaries ?? []) if (s.Id) traceIds.add(s.Id);
      next = page.NextToken;
    } while (next);
  }
  const rows: TraceRow[] = [];
  const ids = [...traceIds];
  for (let i = 0; i < ids.length; i += BATCH_GET_MAX_IDS) {
    let next: string | undefined;
    do {
      const page = await xray.send(
        new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + BATCH_GET_MAX_IDS), NextToken: next }),
      );
      for (const trace of page.Traces ?? []) {
        for (const segment of trace.Segments ?? []) {
          const doc = JSON.parse(segment.Document ?? '{}') as SegmentDocument;
          rows.push(...hopRows(doc, trace.Id, orderId));
        }
      }
      next = page.NextToken;
    } while (next);
  }
  return sortRows(rows);
}

/**
 * The (sub)segments of one segment document annotated with the order, at any depth: a consumer's or the
 * relay's `### …` hop subsegments, order-api's handler subsegment (one request per invocation).
 */
function hopRows(segment: SegmentDocument, traceId: string | undefined, orderId: string): TraceRow[] {
  // Lambda's function segment is named after the function; the Tracer's subsegments sit below it.
  const functionName = segment.name ?? '?';
  const rows: TraceRow[] = [];
  const visit = (s: SegmentDocument) => {
    if (s.annotations?.orderId === orderId) {
      const source = s.metadata?.hop?.source;
      const eventType = typeof s.annotations.eventType === 'string' ? s.annotations.eventType : undefined;
      rows.push({
        at: s.start_time ? new Date(s.start_time * 1000).toISOString() : '',
        function: functionName,
        trigger: (s.name ?? '').replace(/^#+\s*/, ''),
        ...(eventType ? { eventType } : {}),
        ...(source?.partition !== undefined
          ? { position: `${source.topic}/${source.partition}@${source.offset}` }
          : {}),
        ...(s.start_time && s.end_time ? { durationMs: (s.end_time - s.start_time) * 1000 } : {}),
        outcome: s.fault || s.error ? 'failed' : 'ok',
        ...(traceId ? { traceId } : {}),
      });
    }
    for (const child of s.subsegments ?? []) visit(child);
  };
  visit(segment);
  return rows;
}
