/**
 * The one poller of the tests: `until` calls a probe until it returns a value (anything but `undefined`,
 * `null` or `false`), and throws with what it was waiting for once the timeout has passed.
 */

export interface UntilOptions {
  /** How long to keep probing (default 20 s). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  readonly intervalMs?: number;
}

export type Probed<T> = Exclude<T, undefined | null | false>;

const found = <T>(value: T): value is Probed<T> => value !== undefined && value !== null && value !== false;

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/**
 * Resolves with the probe's first found value. `what` names the awaited thing in the timeout error; a
 * function is called then, so the error can show the last state seen.
 */
export async function until<T>(
  what: string | (() => string),
  probe: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 100 }: UntilOptions = {},
): Promise<Probed<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (found(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(intervalMs);
  }
}
