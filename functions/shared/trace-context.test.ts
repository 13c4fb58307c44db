import {
  activeTraceContext,
  newTraceContext,
  parseTraceparent,
  parseXRayHeader,
  traceContextFromHeaders,
  traceHeaders,
  withTraceContext,
} from './trace-context';

// The X-Ray documentation's example header and its W3C form (same 96-bit id, version and dashes dropped).
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const W3C = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';

describe('trace context', () => {
  it('reads the X-Ray header and writes both headers with the same trace and parent ids', () => {
    const context = parseXRayHeader(XRAY);
    expect(context).toEqual({
      traceId: '1-5759e988-bd862e3fe1be46a994272793',
      parentId: '53995c3f42cd8ad8',
      sampled: true,
    });
    expect(traceHeaders(context as NonNullable<typeof context>)).toEqual({ traceparent: W3C, 'X-Amzn-Trace-Id': XRAY });
  });

  it('reads traceparent back to the same context (round trip), flags 00 as not sampled', () => {
    expect(parseTraceparent(W3C)).toEqual(parseXRayHeader(XRAY));
    expect(parseTraceparent('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00')?.sampled).toBe(false);
  });

  it('rejects malformed and all-zero ids instead of propagating them', () => {
    for (const bad of ['', 'Root=abc', 'Parent=53995c3f42cd8ad8', 'Root=1-5759e988-bd86']) {
      expect(parseXRayHeader(bad)).toBeUndefined();
    }
    for (const bad of [
      '01-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      `00-${'0'.repeat(32)}-53995c3f42cd8ad8-01`,
      '00-x',
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('prefers traceparent to the X-Ray header when a record carries both', () => {
    const other = '00-6759e9880d862e3fe1be46a994272793-63995c3f42cd8ad8-00';
    const headers: Record<string, string> = { traceparent: other, 'X-Amzn-Trace-Id': XRAY };
    expect(traceContextFromHeaders((n) => headers[n])?.traceId).toBe('1-6759e988-0d862e3fe1be46a994272793');
    expect(traceContextFromHeaders((n) => (n === 'X-Amzn-Trace-Id' ? XRAY : undefined))?.parentId).toBe(
      '53995c3f42cd8ad8',
    );
    expect(traceContextFromHeaders(() => undefined)).toBeUndefined();
  });

  it('starts new roots with the epoch seconds in the id, as X-Ray does', () => {
    const context = newTraceContext(Date.UTC(2016, 5, 9, 22, 11, 20));
    expect(context.traceId).toMatch(/^1-5759e988-[0-9a-f]{24}$/);
    expect(context.parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(newTraceContext().traceId).not.toBe(newTraceContext().traceId);
  });

  it("keeps each concurrent record's context apart and falls back to the invocation's _X_AMZN_TRACE_ID", async () => {
    process.env._X_AMZN_TRACE_ID = XRAY;
    try {
      const a = newTraceContext();
      const b = newTraceContext();
      const seen = await Promise.all([
        withTraceContext(a, async () => {
          await new Promise((r) => setTimeout(r, 5));
          return activeTraceContext();
        }),
        withTraceContext(b, async () => activeTraceContext()),
      ]);
      expect(seen).toEqual([a, b]);
      expect(activeTraceContext()?.traceId).toBe('1-5759e988-bd862e3fe1be46a994272793');
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
    expect(activeTraceContext()).toBeUndefined();
  });
});
