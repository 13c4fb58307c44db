/**
 * Sleeps a stopping poller can cut short: a mapping's stop wakes every pending wait at once instead of
 * waiting out backoffs and poll intervals, and after stop no new wait starts.
 */
export class WakeableSleeps {
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Ends every pending sleep now (they resolve; the pollers re-check their state). */
  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /** Wakes everyone and makes later sleeps return at once. */
  stop(): void {
    this.stopped = true;
    this.wakeAll();
  }
}
