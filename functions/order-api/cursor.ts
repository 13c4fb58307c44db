/**
 * The opaque paging cursor of GET /orders?customerId=: base64url of the by-customer index key of the
 * last order returned (the index's ExclusiveStartKey). Decoding validates it completely, so a garbled,
 * truncated or edited cursor — or one from another customer's listing — is a clear 400, never a
 * DynamoDB error or someone else's page.
 */
import { validationFailed } from './http';
import { ORDER_PREFIX, ORDER_SK } from './order-model';

export interface PageKey {
  readonly pk: string;
  readonly sk: string;
  readonly customerId: string;
  readonly createdAt: string;
}

const KEYS = ['createdAt', 'customerId', 'pk', 'sk'] as const;
const MAX_CURSOR_LENGTH = 1024;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function encodeCursor(key: PageKey): string {
  const plain: PageKey = { pk: key.pk, sk: key.sk, customerId: key.customerId, createdAt: key.createdAt };
  return Buffer.from(JSON.stringify(plain), 'utf8').toString('base64url');
}

const invalid = (message: string) =>
  validationFailed('cursor is invalid; use the nextCursor of a previous page', [{ path: 'query:cursor', message }]);

export function decodeCursor(cursor: string, customerId: string): PageKey {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid('is not a base64url token');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('does not decode to a page key');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('is not a page key');
  const fields = parsed as Record<string, unknown>;
  const names = Object.keys(fields).sort();
  if (
    names.length !== KEYS.length ||
    names.some((n, i) => n !== KEYS[i]) ||
    KEYS.some((k) => typeof fields[k] !== 'string')
  ) {
    throw invalid('is not a page key');
  }
  const key = fields as unknown as PageKey; // every field checked to be a string just above
  if (!key.pk.startsWith(ORDER_PREFIX) || key.sk !== ORDER_SK || !ISO_UTC.test(key.createdAt)) {
    throw invalid('is not a page key');
  }
  if (key.customerId !== customerId) throw invalid('belongs to another listing (customerId differs)');
  return key;
}
