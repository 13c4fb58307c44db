/**
 * Generates malformed API requests for the bad-input suite: each case says what the API must answer
 * (status, stable error code and, for validation errors, the field at fault). Deterministic (seeded)
 * so a failing case can be replayed by its index. Two faults in one body: paired-faults.ts.
 */

import { API_GATEWAY_LIMITS } from '../../lib/aws-limits';
import { pairedFaults } from './paired-faults';
import { type BadRequestCase, JSON_CT, type Order, post, validOrder } from './request-case';

/** A body that is JSON but breaks the schema at `field`. */
const invalid = (description: string, mutate: (o: Order) => unknown, field: string): BadRequestCase =>
  post(description, JSON.stringify(mutate(validOrder() as Order)), 400, 'VALIDATION_FAILED', field);

/** Infinity serialises as null in JSON: a number the client meant, null on the wire. */
const OVERFLOW = Number.POSITIVE_INFINITY;
const WRONG_TYPES: readonly unknown[] = [null, true, 0, -1, 1.5, '', [], {}, OVERFLOW];
/** Strings of the right type that break the field's pattern (lower-case SKU, spaces, symbols). */
const BAD_IDS: readonly string[] = ['x y', '-leading', 'a/b', 'sku.1', '@home', 'tab\tin'];
const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '\u202e' + 'evil',
  '😀'.repeat(100),
  'a'.repeat(10_000),
  "'; DROP TABLE orders; --",
  '{"$ne": null}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style injection string, on purpose
  '${jndi:ldap://x}',
  '\ud800',
  'Ω≈ç√∫',
  '\n\r\t',
  'OR 1=1',
];

export function malformedRequests(): BadRequestCase[] {
  const cases: BadRequestCase[] = [];

  // Syntax: not JSON at all, or truncated JSON.
  for (const body of [
    '{',
    '}',
    '{"customerId": }',
    'null,',
    "{'a':1}",
    '[1,2',
    'customerId=1',
    '\u0000',
    '{"a":1}}',
    '{"items":[}',
  ]) {
    cases.push(post(`malformed JSON ${JSON.stringify(body)}`, body, 400, 'MALFORMED_JSON'));
  }
  // Wrong top-level shapes.
  for (const body of ['[]', '"order"', '42', 'null', 'true']) {
    cases.push(post(`top-level ${body} instead of an object`, body, 400, 'VALIDATION_FAILED', ''));
  }
  // Missing required fields.
  for (const field of ['customerId', 'currency', 'items'] as const) {
    cases.push(invalid(`missing ${field}`, (o) => ({ ...o, [field]: undefined }), `/${field}`));
  }
  for (const field of ['sku', 'quantity', 'unitPrice'] as const) {
    cases.push(
      invalid(
        `missing items[0].${field}`,
        (o) => ({ ...o, items: [{ ...o.items[0], [field]: undefined }] }),
        `/items/0/${field}`,
      ),
    );
  }
  // Extra fields.
  for (const extra of ['status', 'total', '__proto__x', 'orderId', 'discount']) {
    cases.push(invalid(`unexpected field ${extra}`, (o) => ({ ...o, [extra]: 1 }), `/${extra}`));
    cases.push(
      invalid(
        `unexpected item field ${extra}`,
        (o) => ({ ...o, items: [{ ...o.items[0], [extra]: 1 }] }),
        `/items/0/${extra}`,
      ),
    );
  }
  // Wrong types everywhere.
  for (const value of WRONG_TYPES) {
    cases.push(invalid(`customerId = ${JSON.stringify(value)}`, (o) => ({ ...o, customerId: value }), '/customerId'));
    cases.push(invalid(`currency = ${JSON.stringify(value)}`, (o) => ({ ...o, currency: value }), '/currency'));
    if (!Array.isArray(value))
      cases.push(invalid(`items = ${JSON.stringify(value)}`, (o) => ({ ...o, items: value }), '/items'));
    // an empty object is an object: what fails is its first required property
    const itemField = JSON.stringify(value) === '{}' ? '/items/0/sku' : '/items/0';
    cases.push(invalid(`items[0] = ${JSON.stringify(value)}`, (o) => ({ ...o, items: [value] }), itemField));
    cases.push(
      invalid(
        `sku = ${JSON.stringify(value)}`,
        (o) => ({ ...o, items: [{ ...o.items[0], sku: value }] }),
        '/items/0/sku',
      ),
    );
    if (value !== OVERFLOW && !(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
      cases.push(
        invalid(
          `quantity = ${JSON.stringify(value)}`,
          (o) => ({ ...o, items: [{ ...o.items[0], quantity: value }] }),
          '/items/0/quantity',
        ),
      );
    }
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
      cases.push(
        invalid(
          `unitPrice = ${JSON.stringify(value)}`,
          (o) => ({ ...o, items: [{ ...o.items[0], unitPrice: value }] }),
          '/items/0/unitPrice',
        ),
      );
    }
  }
  for (const id of BAD_IDS) {
    cases.push(invalid(`customerId ${JSON.stringify(id)}`, (o) => ({ ...o, customerId: id }), '/customerId'));
    cases.push(
      invalid(`sku ${JSON.stringify(id)}`, (o) => ({ ...o, items: [{ ...o.items[0], sku: id }] }), '/items/0/sku'),
    );
    cases.push(
      invalid(
        `sku ${JSON.stringify(id.toLowerCase())} lower case`,
        (o) => ({ ...o, items: [{ ...o.items[0], sku: `sku-${id}` }] }),
        '/items/0/sku',
      ),
    );
  }
  // Numbers out of range.
  for (const q of [0, -1, -1000, 1001, 1e6, 2 ** 53, 0.5, 1.0000001]) {
    cases.push(
      invalid(`quantity ${q}`, (o) => ({ ...o, items: [{ ...o.items[0], quantity: q }] }), '/items/0/quantity'),
    );
  }
  for (const p of [-1, -0.01, 12.5, 2 ** 53, 1e15, Number.MAX_SAFE_INTEGER]) {
    cases.push(
      invalid(`unitPrice ${p}`, (o) => ({ ...o, items: [{ ...o.items[0], unitPrice: p }] }), '/items/0/unitPrice'),
    );
  }
  // Currencies that are not ISO 4217 shaped.
  for (const c of ['eur', 'EURO', 'E', '€', '123', 'EU R', '']) {
    cases.push(invalid(`currency ${JSON.stringify(c)}`, (o) => ({ ...o, currency: c }), '/currency'));
  }
  // Item counts.
  cases.push(invalid('no items', (o) => ({ ...o, items: [] }), '/items'));
  for (const n of [51, 100, 500]) {
    cases.push(
      invalid(
        `${n} items`,
        (o) => ({
          ...o,
          items: Array.from({ length: n }, (_, i) => ({
            sku: `SKU-BULK-${String(i % 100).padStart(3, '0')}`,
            quantity: 1,
            unitPrice: 1,
          })),
        }),
        '/items',
      ),
    );
  }
  // Odd Unicode and injection strings in every string field.
  for (const s of ODD_STRINGS) {
    cases.push(
      invalid(`customerId ${JSON.stringify(s.slice(0, 20))}`, (o) => ({ ...o, customerId: s }), '/customerId'),
    );
    cases.push(
      invalid(
        `sku ${JSON.stringify(s.slice(0, 20))}`,
        (o) => ({ ...o, items: [{ ...o.items[0], sku: s }] }),
        '/items/0/sku',
      ),
    );
    cases.push(invalid(`currency ${JSON.stringify(s.slice(0, 20))}`, (o) => ({ ...o, currency: s }), '/currency'));
  }
  // A bad line deep in an otherwise valid order names that line.
  for (const i of [1, 7, 49]) {
    cases.push(
      invalid(
        `line ${i} has quantity 0`,
        (o) => ({
          ...o,
          items: Array.from({ length: i + 1 }, (_, k) => ({ ...o.items[0], quantity: k === i ? 0 : 1 })),
        }),
        `/items/${i}/quantity`,
      ),
    );
  }
  // Transport-level errors.
  cases.push(
    post(
      'oversized body (1 MiB)',
      JSON.stringify({ ...validOrder(), pad: 'x'.repeat(1024 * 1024) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ),
  );
  // Past API Gateway's 10 MB limit: refused before any validation.
  cases.push(
    post(
      'oversized body (11 MiB)',
      JSON.stringify({ ...validOrder(), pad: 'x'.repeat(11 * 1024 * 1024) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ),
  );
  for (const ct of [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ]) {
    cases.push(
      post(`content-type ${ct}`, JSON.stringify(validOrder()), 415, 'UNSUPPORTED_MEDIA_TYPE', undefined, {
        'content-type': ct,
      }),
    );
  }
  cases.push(post('no body', '', 400, 'MALFORMED_JSON'));
  // Wrong methods and paths.
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    cases.push({
      description: `${method} /orders`,
      method,
      path: '/orders',
      headers: JSON_CT,
      body: '{}',
      expectStatus: 405,
      expectCode: 'METHOD_NOT_ALLOWED',
    });
  }
  for (const path of ['/order', '/orders/a/b', '/', '/admin', '/orders/../etc']) {
    cases.push({
      description: `GET ${path}`,
      method: 'GET',
      path,
      headers: {},
      expectStatus: 404,
      expectCode: 'NOT_FOUND',
    });
  }
  // Invalid Idempotency-Key values.
  for (const key of ['', ' ', 'x'.repeat(300), 'bad key with spaces', '\u00e9t\u00e9']) {
    cases.push(
      post(
        `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`,
        JSON.stringify(validOrder()),
        400,
        'VALIDATION_FAILED',
        undefined,
        { ...JSON_CT, 'idempotency-key': key },
      ),
    );
  }
  return [...distinct(cases), ...pairedFaults()];
}

/** The same request twice proves nothing twice (null and Infinity both serialise to null, ...). */
function distinct(cases: readonly BadRequestCase[]): BadRequestCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = JSON.stringify([c.method, c.path, c.headers, c.body ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What the deployed API answers for a case, where API Gateway answers before the function: its request
 * validator rejects unparsable JSON bodies (content type application/json) before the function sees them.
 * Other methods and paths reach the function through the API's ANY methods.
 */
export function expectedViaGateway(c: BadRequestCase): Pick<BadRequestCase, 'expectStatus' | 'expectCode'> {
  const json = (c.headers['content-type'] ?? '').startsWith('application/json');
  if (c.expectCode === 'MALFORMED_JSON' && json) return { expectStatus: 400, expectCode: 'VALIDATION_FAILED' };
  // Under the gateway's 10 MB limit a large JSON body is validated against the model first (its padding
  // field is not in the model); the function's own 64 KiB limit is never reached.
  if (c.expectCode === 'PAYLOAD_TOO_LARGE' && json && (c.body?.length ?? 0) <= API_GATEWAY_LIMITS.payloadBytes) {
    return { expectStatus: 400, expectCode: 'VALIDATION_FAILED' };
  }
  return { expectStatus: c.expectStatus, expectCode: c.expectCode };
}
