import { readdirSync, readFileSync } from 'node:fs';
import { type TestFunction, testFunction, testHandler } from '../../../test/support/local-functions';
import { formatInvocation } from './invocation-log';

jest.setTimeout(30_000);

const started: TestFunction[] = [];
const make = async (...args: Parameters<typeof testFunction>) => {
  const t = await testFunction(...args);
  started.push(t);
  return t;
};
afterAll(async () => {
  await Promise.all(started.map((t) => t.fn.stop()));
});

const payload = (r: { ok: boolean; payload?: unknown }) => (r.ok ? (r.payload as Record<string, unknown>) : {});

describe('LocalFunction', () => {
  it('hands each stdout line of the function to `output` (the dashboard reads EMF from it)', async () => {
    const lines: string[] = [];
    const { fn } = await make('prints', { output: (line) => lines.push(line) });
    const result = await fn.invoke({ n: 7 }, { trigger: 'test' });
    expect(result.ok).toBe(true);
    const deadline = Date.now() + 5000;
    while (lines.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lines).toEqual([JSON.stringify({ message: 'hello', n: 7 }), 'plain text line']);
  });

  it('gives each function its own environment and keeps module state within an execution environment', async () => {
    const a = await make('echo', { environment: { GREETING: 'hello from a' } });
    const b = await make('echo', { environment: { GREETING: 'hello from b' } });
    const a1 = await a.fn.invoke({ n: 1 }, { trigger: 'test' });
    const a2 = await a.fn.invoke({ n: 2 }, { trigger: 'test' });
    const b1 = await b.fn.invoke({ n: 1 }, { trigger: 'test' });
    expect(payload(a1)).toMatchObject({ event: { n: 1 }, greeting: 'hello from a', invocations: 1 });
    expect(payload(a2)).toMatchObject({ greeting: 'hello from a', invocations: 2 });
    expect(payload(b1)).toMatchObject({ greeting: 'hello from b', invocations: 1, functionNameEnv: b.fn.name });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('passes a Lambda context: name, ARN, memory, request id, remaining time from the timeout', async () => {
    const { fn } = await make('echo', { timeoutSeconds: 3, memoryMb: 128 });
    const result = await fn.invoke({}, { trigger: 'test' });
    expect(result.ok).toBe(true);
    const seen = payload(result);
    expect(seen.functionName).toBe(fn.name);
    expect(seen.invokedFunctionArn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`);
    expect(seen.memoryLimitInMB).toBe('128');
    expect(seen.awsRequestId).toBe(result.requestId);
    expect(seen.remainingMs).toBeGreaterThan(2000);
    expect(seen.remainingMs).toBeLessThanOrEqual(3000);
  });

  it('sizes the heap as Lambda does for the memory setting (old space = memory - memory/10, plus the young generation)', async () => {
    const { fn } = await make('echo', { memoryMb: 512 });
    const seen = payload(await fn.invoke({}, { trigger: 'test' }));
    // As Lambda's bootstrap: --max-old-space-size=461 and 25 MB semi-spaces (young generation 3 x 25 MB)
    expect(seen.heapLimits).toMatchObject({ maxOldGenerationSizeMb: 461, maxYoungGenerationSizeMb: 75 });
  });

  it('names the environment thread after `threadName`, so per-thread CPU says which function it is', async () => {
    const { fn } = await make('echo', { threadName: 'lf-named-env' });
    expect((await fn.invoke({}, { trigger: 'test' })).ok).toBe(true);
    const names = readdirSync('/proc/self/task').map((tid) => {
      try {
        return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      } catch {
        return ''; // thread ended meanwhile
      }
    });
    expect(names).toContain('lf-named-env');
  });

  it('fails an invocation past its timeout and replaces the execution environment', async () => {
    const { fn, log } = await make('behaviours', { timeoutSeconds: 0.5 });
    const slow = await fn.invoke({ sleepMs: 3000 }, { trigger: 'test' });
    expect(slow).toMatchObject({
      ok: false,
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 0.50 seconds',
    });
    expect(slow.durationMs).toBeLessThan(2000);
    const next = await fn.invoke({}, { trigger: 'test' });
    expect(payload(next)).toEqual({ seen: 1 }); // fresh module state: a new environment
    expect(log.map((l) => [l.outcome, l.coldStart])).toEqual([
      ['timeout', true],
      ['ok', true],
    ]);
  });

  it('reports uncaught errors as function errors with the error name as errorType', async () => {
    const { fn } = await make('behaviours');
    expect(await fn.invoke({ throw: 'no stock' }, { trigger: 'test' })).toMatchObject({
      ok: false,
      errorType: 'OrderRejectedError',
      errorMessage: 'no stock',
    });
    expect(await fn.invoke({ throwString: 'plain' }, { trigger: 'test' })).toMatchObject({
      ok: false,
      errorType: 'string',
      errorMessage: 'plain',
    });
    expect(payload(await fn.invoke({}, { trigger: 'test' }))).toEqual({ seen: 3 }); // errors keep the environment
  });

  it('treats an exiting runtime as a failed invocation and starts a new environment', async () => {
    const { fn } = await make('behaviours');
    expect(await fn.invoke({ exit: 3 }, { trigger: 'test' })).toMatchObject({
      ok: false,
      errorType: 'Runtime.ExitError',
    });
    expect(payload(await fn.invoke({}, { trigger: 'test' }))).toEqual({ seen: 1 });
  });

  it('kills the environments running an invocation on request (fault injection) and starts new ones', async () => {
    const { fn } = await make('behaviours', { concurrency: 2 });
    expect(fn.killBusyEnvironments()).toBe(0); // nothing running: nothing killed
    const running = [
      fn.invoke({ sleepMs: 5000 }, { trigger: 'test' }),
      fn.invoke({ sleepMs: 5000 }, { trigger: 'test' }),
    ];
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    expect(fn.killBusyEnvironments()).toBe(2);
    for (const r of await Promise.all(running)) expect(r).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
    expect(Date.now() - started).toBeLessThan(2000); // ended by the kill, not by their 5 s sleep
    expect(payload(await fn.invoke({}, { trigger: 'test' }))).toEqual({ seen: 1 }); // fresh module state
  });

  it('supports callback-style handlers', async () => {
    const { fn } = await make('callback-style');
    expect(payload(await fn.invoke({}, { trigger: 'test' }))).toEqual({ style: 'callback' });
    expect(await fn.invoke({ fail: true }, { trigger: 'test' })).toMatchObject({
      ok: false,
      errorMessage: 'callback failure',
    });
  });

  it('reports an init failure on every invocation until the environment initialises', async () => {
    const { fn } = await make('init-fails');
    const result = await fn.invoke({}, { trigger: 'test' });
    expect(result).toMatchObject({ ok: false, errorType: 'ConfigError' });
    expect(!result.ok && result.errorMessage).toMatch(/REQUIRED_SETTING/);
    const fixed = await make('init-fails', {
      environment: { REQUIRED_SETTING: 'x' },
      entry: testHandler('init-fails'),
    });
    expect(payload(await fixed.fn.invoke({}, { trigger: 'test' }))).toEqual({ setting: 'x' });
  });

  it('runs at most `concurrency` invocations at once', async () => {
    const { fn } = await make('behaviours', { concurrency: 2 });
    await Promise.all([fn.invoke({}, { trigger: 'warm' }), fn.invoke({}, { trigger: 'warm' })]);
    const t0 = Date.now();
    await Promise.all([1, 2, 3, 4].map(() => fn.invoke({ sleepMs: 300 }, { trigger: 'test' })));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1500);
  });

  it('lets the runner inject a failure instead of running the handler', async () => {
    let remaining = 1;
    const { fn, log } = await make('echo', {
      intercept: () => (remaining-- > 0 ? { errorType: 'InjectedFault', errorMessage: 'injected by test' } : undefined),
    });
    expect(await fn.invoke({}, { trigger: 'test' })).toMatchObject({ ok: false, errorType: 'InjectedFault' });
    expect((await fn.invoke({}, { trigger: 'test' })).ok).toBe(true);
    expect(log.map((l) => l.injected ?? false)).toEqual([true, false]);
  });

  it('logs one line per invocation: function, trigger, batch size, duration, outcome', async () => {
    const { fn, log } = await make('echo');
    await fn.invoke({ batchItemFailures: [] }, { trigger: 'kafka inventory.orders', batchSize: 3 });
    expect(log).toHaveLength(1);
    const line = formatInvocation(log[0] as (typeof log)[number]);
    expect(line).toMatch(new RegExp(`^${fn.name} ← kafka inventory\\.orders · 3 records · \\d+ ms \\(cold\\) · ok$`));
    expect(
      formatInvocation({
        function: 'inventory',
        trigger: 'kafka inventory.orders',
        batchSize: 1,
        durationMs: 12.4,
        outcome: 'partial',
        failedItems: 1,
        requestId: 'r',
        coldStart: false,
      }),
    ).toBe('inventory ← kafka inventory.orders · 1 record · 12 ms · partial: 1 failed');
  });
});
