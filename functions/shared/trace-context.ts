/**
 * The trace context an event carries from hop to hop: stored on its outbox item (as the X-Ray header)
 * and published by the relay as two Kafka headers, W3C `traceparent` and `X-Amzn-Trace-Id`, so a
 * consumer (or any Kafka client that speaks W3C Trace Context) continues the order's trace.
 *
 * X-Ray trace ids are `1-<8 hex epoch seconds>-<24 hex>`; the W3C form of the same id is the 32 hex
 * digits without the version and dashes ("X-Ray trace ID format" and "Tracing header",
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader).
 * traceparent is `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, flag 01 = sampled
 * (https://www.w3.org/TR/trace-context/#traceparent-header).
 *
 * Within a function, the active context is the one set for the record being handled (withTraceContext,
 * AsyncLocalStorage: records of one batch run concurrently), else the invocation's own: Lambda sets
 * `_X_AMZN_TRACE_ID` for every invocation
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * and so does the local runner.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  /** X-Ray form: 1-5759e988-bd862e3fe1be46a994272793. */
  readonly traceId: string;
  /** The span (segment or subsegment) the next hop descends from: 16 hex digits. */
  readonly parentId: string;
  readonly sampled: boolean;
}

export const TRACE_HEADER = { w3c: 'traceparent', xray: 'X-Amzn-Trace-Id' } as const;
/** The outbox item attribute holding the writer's context, in the X-Ray header form (functions/shared/outbox.ts). */
export const OUTBOX_TRACE_ATTRIBUTE = 'traceHeader';
/** Lambda's per-invocation trace header variable. */
export const LAMBDA_TRACE_ENV = '_X_AMZN_TRACE_ID';

const XRAY_TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export const newSpanId = (): string => randomBytes(8).toString('hex');

/** A new root context, as API Gateway or Lambda starts one for a request that carries none. */
export function newTraceContext(now = Date.now(), sampled = false): TraceContext {
  const epoch = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return { traceId: `1-${epoch}-${randomBytes(12).toString('hex')}`, parentId: newSpanId(), sampled };
}

/** `Root=1-…;Parent=…;Sampled=1` (fields in any order, others ignored); undefined when it has no valid Root. */
export function parseXRayHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const root = fields.get('root')?.toLowerCase();
  if (!root || !XRAY_TRACE_ID.test(root)) return undefined;
  const parent = fields.get('parent')?.toLowerCase();
  return {
    traceId: root,
    parentId: parent && SPAN_ID.test(parent) ? parent : newSpanId(),
    sampled: fields.get('sampled') === '1',
  };
}

export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!match) return undefined;
  const [, id = '', parentId = '', flags = '00'] = match;
  // All-zero ids are invalid by the W3C spec.
  if (/^0+$/.test(id) || /^0+$/.test(parentId)) return undefined;
  return { traceId: `1-${id.slice(0, 8)}-${id.slice(8)}`, parentId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export const toXRayHeader = (c: TraceContext): string =>
  `Root=${c.traceId};Parent=${c.parentId};Sampled=${c.sampled ? 1 : 0}`;

export const toTraceparent = (c: TraceContext): string =>
  `00-${c.traceId.slice(2).replace('-', '')}-${c.parentId}-${c.sampled ? '01' : '00'}`;

/** The two Kafka headers for a context. */
export const traceHeaders = (c: TraceContext): Record<string, string> => ({
  [TRACE_HEADER.w3c]: toTraceparent(c),
  [TRACE_HEADER.xray]: toXRayHeader(c),
});

/** The context a record or request carries: traceparent first (the standard), then the X-Ray header. */
export function traceContextFromHeaders(headerOf: (name: string) => string | undefined): TraceContext | undefined {
  return parseTraceparent(headerOf(TRACE_HEADER.w3c)) ?? parseXRayHeader(headerOf(TRACE_HEADER.xray));
}

const active = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` with `context` as the active trace context (one record's work). */
export const withTraceContext = <T>(context: TraceContext, fn: () => Promise<T>): Promise<T> => active.run(context, fn);

/** The record's context when one is set, else the invocation's (`_X_AMZN_TRACE_ID`), else none. */
export const activeTraceContext = (): TraceContext | undefined =>
  active.getStore() ?? parseXRayHeader(process.env[LAMBDA_TRACE_ENV]);
