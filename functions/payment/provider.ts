/**
 * A deterministic simulated payment provider (no real money moves): the same input always gets the
 * same answer, so tests and demos can steer the saga. Rules (docs/design.md):
 * - customerId starting with `blocked-` → CUSTOMER_BLOCKED;
 * - total above the customer's limit (default 500000 minor units) → LIMIT_EXCEEDED;
 * - otherwise authorised.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export type Decision =
  | { readonly outcome: 'AUTHORIZED' }
  | {
      readonly outcome: 'DECLINED';
      /** PAYMENT_FAILED: the payment function could not build its answer (authorize-payment.ts declineUnpayable). */
      readonly reason: 'LIMIT_EXCEEDED' | 'CUSTOMER_BLOCKED' | 'PAYMENT_FAILED';
      readonly message: string;
    };

export const DEFAULT_LIMIT_MINOR = 500_000;

export function authorize(customerId: string, amount: Money, limitMinor = DEFAULT_LIMIT_MINOR): Decision {
  if (customerId.startsWith('blocked-')) {
    return { outcome: 'DECLINED', reason: 'CUSTOMER_BLOCKED', message: `customer ${customerId} is blocked` };
  }
  if (amount.amount > limitMinor) {
    return {
      outcome: 'DECLINED',
      reason: 'LIMIT_EXCEEDED',
      message: `amount ${amount.amount} ${amount.currency} exceeds the limit of ${limitMinor} minor units`,
    };
  }
  return { outcome: 'AUTHORIZED' };
}
