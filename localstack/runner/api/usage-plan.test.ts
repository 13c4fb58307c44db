import { DEFAULTS } from '../../../lib/config';
import { TokenBucket, UsagePlan, usagePlanFromEnv } from './usage-plan';

/** A clock the test moves by hand: no real time passes, so no timing can make these flaky. */
const manualClock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('TokenBucket (API Gateway throttling)', () => {
  it('starts full: burst requests pass at once, the next is throttled', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, 5, clock.now);
    expect(Array.from({ length: 6 }, () => bucket.take())).toEqual([true, true, true, true, true, false]);
  });

  it('refills at rate tokens per second, never above burst', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, 3, clock.now);
    for (let i = 0; i < 3; i += 1) bucket.take();
    expect(bucket.take()).toBe(false);
    clock.advance(499); // 0.998 tokens
    expect(bucket.take()).toBe(false);
    clock.advance(1); // the rest of one token
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(60_000); // idle a minute: full again, but only burst
    expect(Array.from({ length: 4 }, () => bucket.take())).toEqual([true, true, true, false]);
  });

  it('sustains exactly the rate under constant pressure', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 10, clock.now);
    let passed = 0;
    while (bucket.take()) passed += 1; // the full bucket at once
    for (let ms = 0; ms < 10_000; ms += 10) {
      clock.advance(10);
      if (bucket.take()) passed += 1;
    }
    expect(passed).toBe(10 + 100); // the full bucket, then 10 per second for 10 s
  });

  it('refuses settings that could never pass a request', () => {
    expect(() => new TokenBucket(0, 1)).toThrow('rateLimit must be > 0');
    expect(() => new TokenBucket(1, 0)).toThrow('burstLimit must be >= 1');
  });
});

describe('UsagePlan', () => {
  it('answers INVALID_API_KEY without the key or with another, before taking any token', () => {
    const clock = manualClock();
    const plan = new UsagePlan({ apiKey: 'k-1', rateLimit: 1, burstLimit: 1 }, clock.now);
    expect(plan.check(undefined)).toBe('INVALID_API_KEY');
    expect(plan.check('k-2')).toBe('INVALID_API_KEY');
    expect(plan.check('k-1')).toBe('pass');
    expect(plan.check('k-1')).toBe('THROTTLED');
  });
});

describe('usagePlanFromEnv', () => {
  it('is off without API_KEY (npm start needs no set-up)', () => {
    expect(usagePlanFromEnv({})).toBeUndefined();
  });

  it('uses the deployed rate and burst (lib/config.ts DEFAULTS.api) unless overridden', () => {
    expect(usagePlanFromEnv({ API_KEY: 'k' })).toEqual({
      apiKey: 'k',
      rateLimit: DEFAULTS.api.rateLimit,
      burstLimit: DEFAULTS.api.burstLimit,
    });
    expect(usagePlanFromEnv({ API_KEY: 'k', API_RATE_LIMIT: '2', API_BURST_LIMIT: '3' })).toEqual({
      apiKey: 'k',
      rateLimit: 2,
      burstLimit: 3,
    });
  });

  it('names the variable at fault', () => {
    expect(() => usagePlanFromEnv({ API_KEY: 'k', API_RATE_LIMIT: 'fast' })).toThrow(
      'API_RATE_LIMIT: must be a number > 0, got "fast"',
    );
    expect(() => usagePlanFromEnv({ API_KEY: 'k', API_RATE_LIMIT: '5', API_BURST_LIMIT: '2' })).toThrow(
      'API_BURST_LIMIT: must be >= API_RATE_LIMIT (5), got 2',
    );
  });
});
