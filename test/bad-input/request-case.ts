/** The shape of a bad-input case and the valid order the cases break (malformed-requests.ts, paired-faults.ts). */

export interface BadRequestCase {
  readonly description: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly expectStatus: number;
  readonly expectCode: string;
  /** JSON pointer of a field the error must name (validation errors only). */
  readonly expectField?: string;
  /** A second field the error must also name (two faults in one body). */
  readonly alsoField?: string;
}

export const JSON_CT = { 'content-type': 'application/json' };

export const validOrder = () => ({
  customerId: 'cust-bad-input',
  currency: 'EUR',
  items: [{ sku: 'SKU-KEYBOARD', quantity: 1, unitPrice: 4999 }],
});

export type Order = ReturnType<typeof validOrder> & Record<string, unknown>;

export const post = (
  description: string,
  body: string,
  expectStatus: number,
  expectCode: string,
  expectField?: string,
  headers: Readonly<Record<string, string>> = JSON_CT,
): BadRequestCase => ({
  description,
  method: 'POST',
  path: '/orders',
  headers,
  body,
  expectStatus,
  expectCode,
  expectField,
});
