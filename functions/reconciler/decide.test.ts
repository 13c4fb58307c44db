import { DEFAULT_SAGA_DEADLINES, resolveSagaDeadlines } from '../../lib/topology';
import { decide, isIdle } from './decide';

const d = DEFAULT_SAGA_DEADLINES; // re-drive after 120 s, expire after 900 s
const created = '2026-01-01T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(created) + seconds * 1000);

describe('decide', () => {
  it('waits while the order is younger than the re-drive deadline', () => {
    expect(decide({ status: 'PENDING', createdAt: created }, at(119), d)).toBe('wait');
  });

  it('re-drives an order with no progress for the re-drive deadline', () => {
    expect(decide({ status: 'PENDING', createdAt: created }, at(120), d)).toBe('redrive');
    expect(decide({ status: 'RESERVED', createdAt: created, lastProgressAt: at(100).toISOString() }, at(221), d)).toBe(
      'redrive',
    );
  });

  it('counts progress: an event applied recently means wait', () => {
    expect(decide({ status: 'RESERVED', createdAt: created, lastProgressAt: at(300).toISOString() }, at(400), d)).toBe(
      'wait',
    );
  });

  it('re-drives at most once per re-drive deadline', () => {
    const redriven = { status: 'PENDING' as const, createdAt: created, lastRedriveAt: at(200).toISOString() };
    expect(decide(redriven, at(319), d)).toBe('wait');
    expect(decide(redriven, at(320), d)).toBe('redrive');
  });

  it.each(['PENDING', 'RESERVED', 'CANCELLING'] as const)(
    'expires a %s order open for the expiry deadline, even one re-driven or moving recently',
    (status) => {
      const recent = at(899).toISOString();
      expect(decide({ status, createdAt: created, lastProgressAt: recent, lastRedriveAt: recent }, at(900), d)).toBe(
        'expire',
      );
      expect(decide({ status, createdAt: created }, at(899), d)).toBe('redrive');
    },
  );

  it('settles an EXPIRED order and only unmarks one that is otherwise final and notified', () => {
    expect(decide({ status: 'EXPIRED', createdAt: created }, at(1000), d)).toBe('settle');
    for (const status of ['CONFIRMED', 'REJECTED', 'CANCELLED'] as const) {
      expect(decide({ status, createdAt: created, notified: true }, at(5000), d)).toBe('unmark');
      expect(decide({ status, createdAt: created, notified: true }, at(10), d)).toBe('unmark');
    }
  });

  it.each(['CONFIRMED', 'REJECTED', 'CANCELLED'] as const)(
    're-drives a %s order whose NotificationSent is stranded, and gives up at the expiry deadline',
    (status) => {
      const stranded = { status, createdAt: created, lastProgressAt: at(30).toISOString() };
      expect(decide(stranded, at(149), d)).toBe('wait');
      expect(decide(stranded, at(150), d)).toBe('redrive');
      expect(decide({ ...stranded, lastRedriveAt: at(150).toISOString() }, at(200), d)).toBe('wait');
      // Never expired (its status is final), but not re-driven for ever either.
      expect(decide(stranded, at(900), d)).toBe('give-up-notifying');
    },
  );

  it('isIdle uses the latest of creation, progress and re-drive', () => {
    const order = { status: 'EXPIRED' as const, createdAt: created, lastRedriveAt: at(900).toISOString() };
    expect(isIdle(order, at(1019), d)).toBe(false);
    expect(isIdle(order, at(1020), d)).toBe(true);
  });
});

describe('resolveSagaDeadlines', () => {
  it('defaults to re-drive after 2 minutes and expiry after 15', () => {
    expect(resolveSagaDeadlines({})).toEqual({
      redriveAfterSeconds: 120,
      expireAfterSeconds: 900,
      reconcileEverySeconds: 60,
    });
  });

  it('takes overrides as numbers or digit strings', () => {
    expect(
      resolveSagaDeadlines({ redriveAfterSeconds: '5', expireAfterSeconds: 20, reconcileEverySeconds: '2' }),
    ).toEqual({
      redriveAfterSeconds: 5,
      expireAfterSeconds: 20,
      reconcileEverySeconds: 2,
    });
  });

  it.each([
    [{ redriveAfterSeconds: 'soon' }, /SAGA_REDRIVE_AFTER_SECONDS: must be a whole number/],
    [{ expireAfterSeconds: 0 }, /SAGA_EXPIRE_AFTER_SECONDS: must be a whole number/],
    [
      { redriveAfterSeconds: 60, expireAfterSeconds: 60 },
      /SAGA_EXPIRE_AFTER_SECONDS: must be greater than SAGA_REDRIVE_AFTER_SECONDS/,
    ],
    [{ expireAfterSeconds: 100_000 }, /at most half the outbox TTL/],
  ])('refuses %j naming the setting', (overrides, message) => {
    const names = {
      redriveAfterSeconds: 'SAGA_REDRIVE_AFTER_SECONDS',
      expireAfterSeconds: 'SAGA_EXPIRE_AFTER_SECONDS',
      reconcileEverySeconds: 'SAGA_RECONCILE_EVERY_SECONDS',
    };
    expect(() => resolveSagaDeadlines(overrides, (k) => names[k])).toThrow(message);
  });
});
