import { authorize, DEFAULT_LIMIT_MINOR } from './provider';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('simulated payment provider', () => {
  it('authorises up to and including the limit', () => {
    expect(authorize('c-1', eur(DEFAULT_LIMIT_MINOR))).toEqual({ outcome: 'AUTHORIZED' });
  });
  it('declines one minor unit above the limit with LIMIT_EXCEEDED', () => {
    expect(authorize('c-1', eur(DEFAULT_LIMIT_MINOR + 1))).toMatchObject({
      outcome: 'DECLINED',
      reason: 'LIMIT_EXCEEDED',
    });
  });
  it('declines blocked customers whatever the amount', () => {
    expect(authorize('blocked-42', eur(1))).toMatchObject({ outcome: 'DECLINED', reason: 'CUSTOMER_BLOCKED' });
  });
  it('honours a custom limit', () => {
    expect(authorize('c-1', eur(101), 100).outcome).toBe('DECLINED');
  });
});
