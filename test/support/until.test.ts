import { uniqueName } from './unique-name';
import { sleep, until } from './until';

describe('until', () => {
  it('probes until a value turns up and resolves with it (false, null and undefined are "not yet")', async () => {
    const answers = [undefined, null, false, 0, 'ignored'];
    let calls = 0;
    const value = await until('a value', () => answers[calls++], { intervalMs: 1 });
    expect(value).toBe(0); // 0 is a value: only undefined, null and false mean "keep waiting"
    expect(calls).toBe(4);
  });

  it('awaits async probes', async () => {
    let ready = false;
    setTimeout(() => {
      ready = true;
    }, 30);
    await expect(until('ready', async () => ready, { intervalMs: 5 })).resolves.toBe(true);
  });

  it('throws after the timeout, naming what it waited for (a function is asked at that moment)', async () => {
    let seen = 0;
    const waiting = until(
      () => `the count to reach 1000 (last ${seen})`,
      () => (++seen >= 1000 ? seen : undefined),
      { timeoutMs: 40, intervalMs: 10 },
    );
    await expect(waiting).rejects.toThrow(/timed out after 40 ms waiting for the count to reach 1000 \(last \d+\)/);
    expect(seen).toBeGreaterThan(1);
    expect(seen).toBeLessThan(1000);
  });

  it('sleep waits at least the given time', async () => {
    const t0 = Date.now();
    await sleep(20);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(19);
  });
});

describe('uniqueName', () => {
  it('is the label and 8 hex characters, different on every call', () => {
    const names = new Set(Array.from({ length: 50 }, () => uniqueName('relay')));
    expect(names.size).toBe(50);
    for (const n of names) expect(n).toMatch(/^relay-[0-9a-f]{8}$/);
  });
});
