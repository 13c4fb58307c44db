import { decodeCursor, encodeCursor, type PageKey } from './cursor';
import { ApiError } from './http';

const key: PageKey = {
  pk: 'ORDER#0190f0d2-7c4e-7a1b-8c3d-1234567890ab',
  sk: 'ORDER',
  customerId: 'cust-1',
  createdAt: '2026-01-01T12:00:00.000Z',
};

function rejection(cursor: string, customerId = 'cust-1'): ApiError {
  try {
    decodeCursor(cursor, customerId);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`cursor ${cursor} was accepted`);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('paging cursor', () => {
  it('round-trips the page key as an opaque base64url token', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'cust-1')).toEqual(key);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['base64 but not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON but not an object', b64([1, 2])],
    ['missing a key attribute', b64({ pk: key.pk, sk: key.sk, customerId: key.customerId })],
    ['an extra attribute', b64({ ...key, status: 'PENDING' })],
    ['a marshalled (non-string) attribute', b64({ ...key, pk: { S: key.pk } })],
    ['another entity type', b64({ ...key, pk: 'OUTBOX#x' })],
    ['another sort key', b64({ ...key, sk: 'x' })],
    ['a createdAt that is not a timestamp', b64({ ...key, createdAt: 'yesterday' })],
    ['too long', 'A'.repeat(5000)],
  ])('rejects a cursor that is %s with 400 VALIDATION_FAILED naming query:cursor', (_, cursor) => {
    const err = rejection(cursor);
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.fields?.map((f) => f.path)).toEqual(['query:cursor']);
  });

  it("rejects another customer's cursor", () => {
    const err = rejection(encodeCursor(key), 'cust-2');
    expect(err.fields?.[0]?.message).toMatch(/another listing/);
  });
});
