/**
 * `order trace`: locally from an invocation journal written the way the runner writes it (journalSink),
 * on AWS from mocked X-Ray APIs (aws-sdk-client-mock) answering with segment documents shaped like the
 * ones the functions' Tracer produces (functions/shared/tracing.test.ts sees them on the wire).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { mockClient } from 'aws-sdk-client-mock';
import { captureIo } from '../../../test/support/capture-io';
import { journalSink } from '../../runner/lambda/invocation-journal';
import type { InvocationRecord } from '../../runner/lambda/invocation-log';
import { runCli } from '../cli';
import { EXIT } from '../io';

const ORDER = 'o-1';
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
const base = { requestId: 'r', coldStart: false, traceHeader: TRACE } as const;

const records: InvocationRecord[] = [
  // Reported out of order (a long invocation ends last): the trace sorts by start time.
  {
    ...base,
    function: 'inventory',
    trigger: 'kafka inventory-orders',
    batchSize: 2,
    durationMs: 31.6,
    outcome: 'partial',
    failedItems: 1,
    startedAt: '2026-01-01T12:00:00.300Z',
    hops: [
      { orderId: ORDER, eventType: 'OrderCreated', topic: 'orders', partition: 2, offset: 41, outcome: 'failed' },
      { orderId: 'o-2', eventType: 'OrderCreated', topic: 'orders', partition: 0, offset: 7, outcome: 'ok' },
    ],
  },
  {
    ...base,
    function: 'order-api',
    trigger: 'api',
    durationMs: 12,
    outcome: 'ok',
    startedAt: '2026-01-01T12:00:00.000Z',
    hops: [{ orderId: ORDER, eventType: 'OrderCreated', outcome: 'ok' }],
  },
  {
    ...base,
    function: 'outbox-relay',
    trigger: 'dynamodb-stream outbox-relay',
    durationMs: 8,
    outcome: 'ok',
    startedAt: '2026-01-01T12:00:00.100Z',
    hops: [{ orderId: ORDER, eventType: 'OrderCreated', topic: 'orders', sequenceNumber: '4900', outcome: 'ok' }],
  },
  {
    ...base,
    function: 'payment',
    trigger: 'kafka payment-inventory',
    durationMs: 3,
    outcome: 'ok',
    startedAt: '2026-01-01T12:00:00.200Z',
  },
];

function journal(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trace-')), 'invocations.jsonl');
  const sink = journalSink(path);
  for (const r of records) sink(r);
  return path;
}

describe('order trace (local journal)', () => {
  it("prints the order's hops in time order with position, duration and the record's own outcome", async () => {
    const c = captureIo({});
    expect(await runCli(['order', 'trace', ORDER, '--journal', journal()], c.io)).toBe(EXIT.ok);
    expect(c.out.map((l) => l.split(/\s{2,}/))).toEqual([
      ['12:00:00.000', 'order-api', '← api', 'OrderCreated', '12 ms', 'ok'],
      [
        '12:00:00.100',
        'outbox-relay',
        '← dynamodb-stream outbox-relay',
        'OrderCreated',
        '→ orders seq 4900',
        '8 ms',
        'ok',
      ],
      ['12:00:00.300', 'inventory', '← kafka inventory-orders', 'OrderCreated', 'orders/2@41', '32 ms', 'failed'],
    ]);
    expect(c.err).toEqual(['3 hops, 1 trace id']);
  });

  it('--json gives one object per hop, with the trace id', async () => {
    const c = captureIo({});
    expect(await runCli(['order', 'trace', ORDER, '--journal', journal(), '--json'], c.io)).toBe(EXIT.ok);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows.map((r) => r.function)).toEqual(['order-api', 'outbox-relay', 'inventory']);
    expect(rows[2]).toMatchObject({
      position: 'orders/2@41',
      outcome: 'failed',
      traceId: '1-5759e988-bd862e3fe1be46a994272793',
    });
  });

  it('fails for an order with no hops, and says where the journal is missing', async () => {
    const none = captureIo({});
    expect(await runCli(['order', 'trace', 'o-unknown', '--journal', journal()], none.io)).toBe(EXIT.failed);
    expect(none.err.join()).toMatch(/no hops recorded for order o-unknown/);
    const missing = captureIo({ PIPELINE_JOURNAL: '/nonexistent/invocations.jsonl' });
    expect(await runCli(['order', 'trace', ORDER], missing.io)).toBe(EXIT.unavailable);
    expect(missing.err.join()).toMatch(/no invocation journal at \/nonexistent\/invocations.jsonl/);
  });
});

describe('order trace --target aws (X-Ray)', () => {
  const xray = mockClient(XRayClient);
  afterEach(() => xray.reset());

  const doc = (name: string, subsegments: unknown[]) =>
    JSON.stringify({ id: 'a', name, origin: 'AWS::Lambda::Function', subsegments });

  it('finds the traces by the orderId annotation and lists their annotated hops in time order', async () => {
    xray.on(GetTraceSummariesCommand).resolves({ TraceSummaries: [{ Id: 't-1' }, { Id: 't-2' }] });
    xray.on(BatchGetTracesCommand).resolves({
      Traces: [
        {
          Id: 't-2',
          Segments: [
            {
              Id: 's2',
              Document: doc('Sbx-Services-Inventory848C-AbC1', [
                {
                  name: '## index.handler',
                  start_time: 1767268800.2,
                  end_time: 1767268800.25,
                  subsegments: [
                    {
                      name: '### OrderCreated orders',
                      start_time: 1767268800.21,
                      end_time: 1767268800.24,
                      fault: true,
                      annotations: { orderId: ORDER, eventType: 'OrderCreated', correlationId: 'c' },
                      metadata: { hop: { source: { topic: 'orders', partition: 2, offset: 41 } } },
                    },
                    { name: '### OrderCreated orders', start_time: 1767268800.22, annotations: { orderId: 'o-2' } },
                  ],
                },
              ]),
            },
          ],
        },
        {
          // The same order id in another deployment's functions (X-Ray is searched account-wide).
          Id: 't-3',
          Segments: [
            {
              Id: 's3',
              Document: doc('Other-Services-OrderApi1F3E-Q', [
                { name: '## index.handler', start_time: 1767268800, annotations: { orderId: ORDER } },
              ]),
            },
          ],
        },
        {
          Id: 't-1',
          Segments: [
            {
              Id: 's1',
              Document: doc('Sbx-Services-OrderApi1F3E-XyZ2', [
                {
                  name: '## index.handler',
                  start_time: 1767268800,
                  end_time: 1767268800.012,
                  annotations: { orderId: ORDER, eventType: 'OrderCreated' },
                },
              ]),
            },
          ],
        },
      ],
    });
    const c = captureIo({ AWS_REGION: 'eu-west-1' });
    expect(
      await runCli(['order', 'trace', ORDER, '--target', 'aws', '--prefix', 'Sbx', '--since', '48', '--json'], c.io),
    ).toBe(EXIT.ok);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows).toEqual([
      {
        at: '2026-01-01T12:00:00.000Z',
        function: 'Sbx-Services-OrderApi1F3E-XyZ2',
        trigger: 'index.handler',
        eventType: 'OrderCreated',
        durationMs: expect.closeTo(12, 3),
        outcome: 'ok',
        traceId: 't-1',
      },
      {
        at: '2026-01-01T12:00:00.210Z',
        function: 'Sbx-Services-Inventory848C-AbC1',
        trigger: 'OrderCreated orders',
        eventType: 'OrderCreated',
        position: 'orders/2@41',
        durationMs: expect.closeTo(30, 3),
        outcome: 'failed',
        traceId: 't-2',
      },
    ]);
    // 48 hours are asked for as two calls of at most 24 hours, each with the order's filter expression.
    const summaries = xray.commandCalls(GetTraceSummariesCommand).map((call) => call.args[0].input);
    expect(summaries).toHaveLength(2);
    for (const input of summaries) {
      expect(input.FilterExpression).toBe(`annotation.orderId = "${ORDER}"`);
      expect((input.EndTime as Date).getTime() - (input.StartTime as Date).getTime()).toBeLessThanOrEqual(
        24 * 3600_000,
      );
    }
    expect(xray.commandCalls(BatchGetTracesCommand)[0]?.args[0].input.TraceIds).toEqual(['t-1', 't-2']);
  });

  it('rejects a --since outside 1..720 hours before calling AWS', async () => {
    const c = captureIo({});
    expect(await runCli(['order', 'trace', ORDER, '--target', 'aws', '--since', '0'], c.io)).toBe(EXIT.usage);
    expect(xray.commandCalls(GetTraceSummariesCommand)).toHaveLength(0);
  });
});
