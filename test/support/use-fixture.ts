/**
 * A file-wide fixture the jest way: made in beforeAll, torn down in afterAll. The returned object stands
 * for the fixture (its properties and methods, read when used), so a test file writes `fx.tables` where
 * it used to keep a `let fx` and the same two hooks in every file.
 */

export interface Teardown {
  teardown(): Promise<void>;
}

export function useFixture<F extends Teardown>(create: () => Promise<F>, timeoutMs = 60_000): F {
  let fixture: F | undefined;
  beforeAll(async () => {
    fixture = await create();
  }, timeoutMs);
  afterAll(() => fixture?.teardown());
  return new Proxy({} as F, {
    get(_, property) {
      if (!fixture) throw new Error(`fixture read (${String(property)}) before beforeAll made it`);
      const value: unknown = Reflect.get(fixture, property);
      return typeof value === 'function' ? value.bind(fixture) : value;
    },
  });
}
