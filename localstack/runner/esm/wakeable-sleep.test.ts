import { WakeableSleeps } from './wakeable-sleep';

describe('WakeableSleeps', () => {
  it('sleeps for the given time when nobody wakes it', async () => {
    const sleeps = new WakeableSleeps();
    const started = Date.now();
    await sleeps.sleep(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('wakeAll ends every pending sleep at once, and later sleeps still wait', async () => {
    const sleeps = new WakeableSleeps();
    const woken: number[] = [];
    const pending = [1, 2, 3].map((n) => sleeps.sleep(60_000).then(() => woken.push(n)));
    sleeps.wakeAll();
    await Promise.all(pending);
    expect(woken.sort()).toEqual([1, 2, 3]);
    let done = false;
    const later = sleeps.sleep(60_000).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    sleeps.wakeAll();
    await later;
  });

  it('after stop, pending sleeps end and new ones return immediately', async () => {
    const sleeps = new WakeableSleeps();
    const pending = sleeps.sleep(60_000);
    sleeps.stop();
    await pending;
    const started = Date.now();
    await sleeps.sleep(60_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
