/**
 * The Tracer path as it runs in AWS: tracing on (a Lambda environment, no POWERTOOLS_TRACE_ENABLED=false)
 * with an invocation trace header, and the segments sent to a stand-in X-Ray daemon (a UDP socket here,
 * AWS_XRAY_DAEMON_ADDRESS), so the test sees the subsegments the daemon would forward to X-Ray.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type * as TraceContextModule from './trace-context';
import type * as TracingModule from './tracing';

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
type Sent = {
  name: string;
  id: string;
  trace_id: string;
  annotations?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
};

let daemon: Socket;
const sent: Sent[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  daemon = createSocket('udp4');
  // Each datagram is a JSON header line then the (sub)segment document.
  daemon.on('message', (msg) => sent.push(JSON.parse(msg.toString('utf8').split('\n')[1] ?? '{}') as Sent));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: '/var/task',
    _X_AMZN_TRACE_ID: TRACE,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    POWERTOOLS_SERVICE_NAME: 'inventory',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  });
  delete process.env.POWERTOOLS_TRACE_ENABLED;
});

afterAll(() => {
  daemon.close();
  process.env = saved;
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('tracing with the Tracer on (as in AWS)', () => {
  it('sends a handler subsegment and one annotated subsegment per hop, continuing the upstream trace', async () => {
    // Loaded only now: the Tracer reads the environment set above when it is constructed.
    const tracing = require('./tracing') as typeof TracingModule;
    const context = require('./trace-context') as typeof TraceContextModule;
    expect(tracing.tracer.isTracingEnabled()).toBe(true);
    const upstream = context.parseXRayHeader(
      'Root=1-6759e988-0d862e3fe1be46a994272793;Parent=63995c3f42cd8ad8;Sampled=1',
    );

    let seenInside: ReturnType<typeof context.activeTraceContext>;
    const handler = tracing.tracedHandler(async (_event: unknown, _context: unknown) =>
      tracing.traceHop(
        'OrderCreated orders',
        { orderId: 'o-1', correlationId: 'c-1', eventType: 'OrderCreated' },
        upstream,
        async () => {
          seenInside = context.activeTraceContext();
          return 'done';
        },
        { topic: 'orders', partition: 2, offset: 41 },
      ),
    );
    await expect(handler({}, {})).resolves.toBe('done');

    await until(() => sent.length >= 2);
    const hop = sent.find((s) => s.name === '### OrderCreated orders');
    expect(hop?.annotations).toEqual({
      orderId: 'o-1',
      correlationId: 'c-1',
      eventType: 'OrderCreated',
      linkedTraceId: '1-6759e988-0d862e3fe1be46a994272793',
    });
    expect(hop?.metadata).toEqual({ hop: { source: { topic: 'orders', partition: 2, offset: 41 } } });
    expect(hop?.trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(sent.some((s) => s.name.startsWith('## '))).toBe(true);
    // What the hop writes to the outbox continues the upstream trace, with the hop's subsegment as parent.
    expect(seenInside).toEqual({ traceId: '1-6759e988-0d862e3fe1be46a994272793', parentId: hop?.id, sampled: true });
  });
});
