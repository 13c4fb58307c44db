/**
 * Saga deadlines and the outbox retention they must fit in: defaults, the env vars that carry them, and
 * the checked resolution of overrides (CDK context, SAGA_* env vars). Pure data and checks, no imports;
 * lib/topology.ts re-exports it.
 */

const DAY_S = 24 * 60 * 60;

/** Seconds an outbox item is kept before DynamoDB TTL removes it (longer than the 24 h stream retention). */
export const OUTBOX_TTL_SECONDS = 2 * DAY_S;

/**
 * Saga deadlines (docs/design.md "Deadlines and reconciliation"). An open order (not final) that has
 * made no progress for `redriveAfterSeconds` gets its outbox events re-published; one open for
 * `expireAfterSeconds` since it was created is ended as EXPIRED. Overridden per environment: CDK
 * context (lib/config.ts), env vars for the local runner (SAGA_*), tests with seconds.
 */
export interface SagaDeadlines {
  readonly redriveAfterSeconds: number;
  readonly expireAfterSeconds: number;
  /** How often the reconciler runs. */
  readonly reconcileEverySeconds: number;
}

export const DEFAULT_SAGA_DEADLINES: SagaDeadlines = {
  redriveAfterSeconds: 2 * 60,
  expireAfterSeconds: 15 * 60,
  reconcileEverySeconds: 60,
};

/** Env vars carrying the deadlines to the reconciler (and the local runner's overrides). */
export const SAGA_DEADLINE_ENV = {
  redriveAfterSeconds: 'SAGA_REDRIVE_AFTER_SECONDS',
  expireAfterSeconds: 'SAGA_EXPIRE_AFTER_SECONDS',
  reconcileEverySeconds: 'SAGA_RECONCILE_EVERY_SECONDS',
} as const satisfies Record<keyof SagaDeadlines, string>;

/**
 * Deadlines with overrides applied, checked: re-drive before expiry, and expiry well inside the outbox
 * TTL (the reconciler re-publishes outbox items up to the expiry, and the expiry's own events after it).
 * `source` names where a value came from, so an error names the setting to fix.
 */
export function resolveSagaDeadlines(
  overrides: Partial<Record<keyof SagaDeadlines, unknown>>,
  source: (key: keyof SagaDeadlines) => string = (k) => k,
): SagaDeadlines {
  const value = (key: keyof SagaDeadlines): number => {
    const raw = overrides[key];
    if (raw === undefined || raw === '') return DEFAULT_SAGA_DEADLINES[key];
    const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > OUTBOX_TTL_SECONDS) {
      throw new Error(
        `${source(key)}: must be a whole number of seconds in 1..${OUTBOX_TTL_SECONDS}, got ${JSON.stringify(raw)}`,
      );
    }
    return n;
  };
  const deadlines = {
    redriveAfterSeconds: value('redriveAfterSeconds'),
    expireAfterSeconds: value('expireAfterSeconds'),
    reconcileEverySeconds: value('reconcileEverySeconds'),
  };
  if (deadlines.expireAfterSeconds <= deadlines.redriveAfterSeconds) {
    throw new Error(
      `${source('expireAfterSeconds')}: must be greater than ${source('redriveAfterSeconds')} (${deadlines.redriveAfterSeconds}), got ${deadlines.expireAfterSeconds}`,
    );
  }
  // Outbox items are re-published until the order is settled, some runs after the expiry.
  if (deadlines.expireAfterSeconds > OUTBOX_TTL_SECONDS / 2) {
    throw new Error(
      `${source('expireAfterSeconds')}: must be at most half the outbox TTL (${OUTBOX_TTL_SECONDS / 2} s), got ${deadlines.expireAfterSeconds}`,
    );
  }
  return deadlines;
}
