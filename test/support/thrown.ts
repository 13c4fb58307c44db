/** The error a call throws, for tests that assert on its fields (code, status) rather than its message. */
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`no ${type.name} thrown`);
}
