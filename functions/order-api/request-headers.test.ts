import { apiGatewayEvent } from '../../test/support/aws-events';
import { thrown } from '../../test/support/thrown';
import { ApiError } from './http';
import { correlationIdOf, idempotencyKeyOf } from './request-headers';

const withHeaders = (headers: Record<string, string>) => apiGatewayEvent({ method: 'POST', path: '/orders', headers });

const failure = (fn: () => unknown): ApiError => thrown(ApiError, fn);

describe('Idempotency-Key', () => {
  it('is optional', () => {
    expect(idempotencyKeyOf(withHeaders({}))).toBeUndefined();
  });

  it.each(['0190f0d2-7c4e-7a1b-8c3d-1234567890ab', 'k', 'order:2026-01-01.1', 'YWJj+/=='])('accepts %s', (key) => {
    expect(idempotencyKeyOf(withHeaders({ 'idempotency-key': key }))).toBe(key);
  });

  it.each(['', ' ', 'x'.repeat(256), 'bad key with spaces', 'été', 'a"b', 'tab\tkey'])(
    'rejects %j with 400 VALIDATION_FAILED naming the header',
    (key) => {
      const err = failure(() => idempotencyKeyOf(withHeaders({ 'Idempotency-Key': key })));
      expect([err.statusCode, err.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(err.fields?.[0]?.path).toBe('header:Idempotency-Key');
    },
  );
});

describe('correlation id', () => {
  it("is the caller's X-Correlation-Id, or the request id", () => {
    expect(correlationIdOf(withHeaders({ 'x-correlation-id': 'abc-123' }), 'req-1')).toBe('abc-123');
    expect(correlationIdOf(withHeaders({}), 'req-1')).toBe('req-1');
  });

  it.each(['', 'has space', 'x'.repeat(129), 'ünïcode'])('rejects %j with 400', (value) => {
    const err = failure(() => correlationIdOf(withHeaders({ 'X-Correlation-Id': value }), 'req-1'));
    expect(err.fields?.[0]?.path).toBe('header:X-Correlation-Id');
  });
});
