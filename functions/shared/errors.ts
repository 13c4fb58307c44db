/**
 * Failure classes. A permanent failure can never succeed on retry (bad data, unknown version, a
 * business rule that cannot pass): the record goes to the DLQ with its reason and the partition moves
 * on. Everything else is transient: the record is reported to the event source mapping for retry.
 */
export type PermanentReason =
  | 'MALFORMED_JSON'
  | 'MISSING_VALUE'
  | 'MISSING_KEY'
  | 'KEY_MISMATCH'
  | 'INVALID_EVENT'
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_VERSION'
  | 'UNKNOWN_SCHEMA_VERSION'
  | 'UNREGISTERED_SCHEMA_VERSION'
  | 'BUSINESS_RULE'
  | 'TOO_LARGE';

export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    readonly reason: PermanentReason,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const isPermanent = (err: unknown): err is PermanentError => err instanceof PermanentError;

export function describeError(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'NonError', message: String(err) };
}

/** A single-item write refused by its ConditionExpression (matched by name: any SDK copy). */
export const isConditionFailure = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';
