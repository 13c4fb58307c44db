/**
 * Text for humans: orders, their history, API errors and decoded Kafka envelopes. Pure functions of the
 * API's documented shapes (functions/order-api/order-model.ts, http.ts) and the envelope (docs/design.md);
 * unknown or missing fields print as `?` rather than failing, since the CLI is also a debugging tool.
 */
import type { ApiErrorBody } from './api-client';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

/** Integer minor units in the currency's own decimals: {1999, EUR} → "19.99 EUR", {500, JPY} → "500 JPY". */
export function formatMoney(money: unknown): string {
  if (!isObj(money) || !Number.isInteger(money.amount) || typeof money.currency !== 'string') return '?';
  const amount = money.amount as number;
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    // Not an ISO 4217 code Intl knows: assume two decimals.
  }
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const major = Math.floor(abs / 10 ** digits);
  const minor = digits > 0 ? `.${String(abs % 10 ** digits).padStart(digits, '0')}` : '';
  return `${sign}${major}${minor} ${money.currency}`;
}

export function formatApiError(status: number, error: ApiErrorBody | undefined, rawText: string): string[] {
  if (!error)
    return [`API answered ${status} without the documented error body: ${rawText.slice(0, 500) || '(empty)'}`];
  const lines = [`API error ${status} ${error.code}: ${error.message}`];
  for (const f of error.fields ?? []) lines.push(`  ${f.path === '' ? '(body)' : f.path}: ${f.message}`);
  return lines;
}

/** The 202 of POST /orders: {orderId, status, links.self} + Location (and Idempotent-Replayed on a replay). */
export function formatPlaced(body: unknown, location: string | null, replayed: boolean): string[] {
  const b = isObj(body) ? body : {};
  return [
    `order ${text(b.orderId)} accepted (status ${text(b.status)})${replayed ? ' - idempotent replay: the original order' : ''}`,
    `Location: ${location ?? text(isObj(b.links) ? b.links.self : undefined)}`,
  ];
}

/** One history step of GET /orders/{id}: {eventType, at, detail}. */
export function formatStep(step: unknown): string {
  const s = isObj(step) ? step : {};
  return `${text(s.at)}  ${text(s.eventType).padEnd(18)} ${typeof s.detail === 'string' ? s.detail : ''}`.trimEnd();
}

/** A step's identity, for printing each one once while watching (the API shows no eventId). */
export const stepKey = (step: unknown): string => JSON.stringify(step);

export function formatOrder(order: unknown): string[] {
  const o = isObj(order) ? order : {};
  const lines = [
    `order ${text(o.orderId)}  customer ${text(o.customerId)}  status ${text(o.status)}  total ${formatMoney(o.total)}`,
    `created ${text(o.createdAt)}  updated ${text(o.updatedAt)}`,
  ];
  const items = Array.isArray(o.items) ? o.items : [];
  if (items.length > 0) lines.push('items:');
  for (const line of items) {
    const l = isObj(line) ? line : {};
    lines.push(`  ${text(l.sku).padEnd(20)} x${text(l.quantity)}  @ ${formatMoney(l.unitPrice)}`);
  }
  const history = Array.isArray(o.history) ? o.history : [];
  if (history.length > 0) lines.push('history:');
  for (const step of history) lines.push(`  ${formatStep(step)}`);
  return lines;
}

/** One row of GET /orders?customerId=. */
export function formatSummaryRow(summary: unknown): string {
  const s = isObj(summary) ? summary : {};
  return [
    text(s.orderId).padEnd(28),
    text(s.status).padEnd(11),
    formatMoney(s.total).padStart(16),
    `${text(s.lineCount)} line(s)`.padEnd(10),
    text(s.createdAt),
  ].join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Kafka envelopes

export interface EnvelopeCore {
  readonly type: string;
  readonly version: number | string;
  readonly orderId: string;
  readonly sequence: number | string;
  readonly eventId: string;
  readonly correlationId: string;
}

export type DecodedValue =
  | { readonly ok: true; readonly envelope: EnvelopeCore; readonly full: Obj }
  | { readonly ok: false; readonly problem: string };

/** Decodes a record value as an envelope; says what is wrong instead of throwing (poison records are shown too). */
export function decodeEnvelope(value: Buffer | null): DecodedValue {
  if (value === null) return { ok: false, problem: 'no value (tombstone)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, problem: 'value is not JSON' };
  }
  if (!isObj(parsed)) return { ok: false, problem: 'value is not a JSON object' };
  const missing = ['type', 'version', 'orderId', 'sequence', 'eventId', 'correlationId'].filter(
    (f) => parsed[f] === undefined,
  );
  if (missing.length > 0) return { ok: false, problem: `not an envelope (no ${missing.join(', ')})` };
  return { ok: true, envelope: parsed as unknown as EnvelopeCore, full: parsed };
}

export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export function formatEnvelopeLine(at: RecordPosition, decoded: DecodedValue, key: string | null): string {
  const where = `${at.topic}[${at.partition}]@${at.offset}`;
  if (!decoded.ok) return `${where}  UNDECODABLE: ${decoded.problem} (key ${key ?? 'none'})`;
  const e = decoded.envelope;
  return (
    `${where}  ${`${text(e.type)} v${text(e.version)}`.padEnd(21)} order=${text(e.orderId)} seq=${text(e.sequence)} ` +
    `event=${text(e.eventId)} corr=${text(e.correlationId)}`
  );
}
