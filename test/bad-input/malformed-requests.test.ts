/**
 * The generator's own check: every schema case really is invalid, and the request validator names the
 * field the case expects (so the API suite's expectations are right before any server is involved).
 */
import { validateCreateOrderRequest } from '../../functions/shared/validation';
import { malformedRequests } from './malformed-requests';
import { validOrder } from './request-case';

const cases = malformedRequests();
const schemaCases = cases.filter((c) => c.expectCode === 'VALIDATION_FAILED' && c.expectField !== undefined);

describe('malformed request generator', () => {
  it('generates at least 500 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
  });

  it('generates each request once (method, path, headers and body differ)', () => {
    const keys = cases.map((c) => JSON.stringify([c.method, c.path, c.headers, c.body ?? null]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('starts from a valid order', () => {
    expect(validateCreateOrderRequest(validOrder()).ok).toBe(true);
  });

  it.each(schemaCases.map((c, i) => [i, c.description, c] as const))(
    '#%i %s: invalid, names the field',
    (_i, _d, c) => {
      const result = validateCreateOrderRequest(JSON.parse(c.body ?? 'null'));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const paths = result.errors.map((e) => e.path);
      expect(paths).toContain(c.expectField);
      if (c.alsoField) expect(paths).toContain(c.alsoField);
    },
  );
});
