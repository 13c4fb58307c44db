/**
 * readAs: which of its own schema versions a consumer build reads a record with, derived from the
 * registry's compatibility mode (OrderCreated is BACKWARD, NotificationSent FULL in the catalog).
 */
import { CATALOG_VERSIONS, catalogVersionsUpTo, readAs } from './readable-version';

const builtForV1 = catalogVersionsUpTo({ OrderCreated: 1 });

const readVersion = (result: ReturnType<typeof readAs>) => (result.ok ? result.entry.version : result.message);

describe('readAs', () => {
  it('a build made before OrderCreated v2 knows v1 only, and every other type as the catalog has it', () => {
    expect(builtForV1.OrderCreated).toEqual([1]);
    expect(CATALOG_VERSIONS.OrderCreated).toEqual([1, 2]);
    expect({ ...builtForV1, OrderCreated: CATALOG_VERSIONS.OrderCreated }).toEqual(CATALOG_VERSIONS);
  });

  it('reads a version the build has as written', () => {
    expect(readVersion(readAs('OrderCreated', 2, CATALOG_VERSIONS))).toBe(2);
    expect(readVersion(readAs('OrderCreated', 1, CATALOG_VERSIONS))).toBe(1);
    expect(readVersion(readAs('OrderCreated', 1, builtForV1))).toBe(1);
  });

  it('reads the previous version with the next one (BACKWARD and FULL both promise it)', () => {
    expect(readVersion(readAs('OrderCreated', 1, { ...CATALOG_VERSIONS, OrderCreated: [2] }))).toBe(2);
  });

  it('refuses a newer version under BACKWARD, saying why and what to deploy', () => {
    expect(readAs('OrderCreated', 2, builtForV1)).toEqual({
      ok: false,
      message:
        'OrderCreated v2 is newer than this build reads (v1), and OrderCreated is registered BACKWARD, which ' +
        'does not promise that v1 readers can read v2 data: deploy consumers built with v2 first, then redrive',
    });
    expect(readVersion(readAs('OrderCreated', 3, CATALOG_VERSIONS))).toMatch(/^OrderCreated v3 is newer .* BACKWARD/);
  });

  it('reads the next version with the newest it knows under FULL (the previous version accepts its data)', () => {
    expect(readVersion(readAs('NotificationSent', 2, CATALOG_VERSIONS))).toBe(1);
  });

  it('refuses a version more than one step from any it knows: no mode spans two steps', () => {
    expect(readVersion(readAs('NotificationSent', 3, CATALOG_VERSIONS))).toBe(
      'NotificationSent v3 cannot be read by this build (reads v1): no compatibility mode spans that gap',
    );
    expect(readVersion(readAs('OrderCreated', 3, builtForV1))).toMatch(/cannot be read by this build \(reads v1\)/);
  });
});
