/** Bad-input cases with two schema faults in one body (malformed-requests.ts adds them to its cases). */
import { type BadRequestCase, type Order, post, validOrder } from './request-case';

/** Lines of the order the paired faults start from: faults on different lines are different requests. */
const PAIR_LINES = 10;

const multiLineOrder = (): Order => ({
  ...(validOrder() as Order),
  items: Array.from({ length: PAIR_LINES }, (_, k) => ({ sku: `SKU-LINE-${k}`, quantity: 1, unitPrice: 100 })),
});

/**
 * Two schema faults in one body, on different fields: the error must name both, not just the first one
 * found. Every order-level fault with every line fault (on each line of a 10-line order), then line
 * faults on two different lines, in a fixed order: each pair is a distinct request.
 */
export function pairedFaults(): BadRequestCase[] {
  const lineFaults = Array.from({ length: PAIR_LINES }, (_, k) => LINE_FAULTS.map((f) => f(k))).flat();
  const pairs: [FieldFault, FieldFault][] = [];
  for (const a of ORDER_FAULTS) for (const b of lineFaults) pairs.push([a, b]);
  for (const [i, a] of lineFaults.entries())
    for (const b of lineFaults.slice(i + 1)) if (a.line !== b.line && a.kind !== b.kind) pairs.push([a, b]);
  return pairs.slice(0, PAIRED_CASES).map(([a, b]) => ({
    ...post(
      `${a.name} + ${b.name}`,
      JSON.stringify(b.apply(a.apply(multiLineOrder()))),
      400,
      'VALIDATION_FAILED',
      a.field,
    ),
    alsoField: b.field,
  }));
}

const PAIRED_CASES = 320;

interface FieldFault {
  readonly name: string;
  readonly field: string;
  readonly apply: (o: Order) => Order;
  /** For line faults: which line, and which kind of fault (so a pair never hits one field twice). */
  readonly line?: number;
  readonly kind?: string;
}

const ORDER_FAULTS: readonly FieldFault[] = [
  { name: 'customerId null', field: '/customerId', apply: (o) => ({ ...o, customerId: null as unknown as string }) },
  { name: 'customerId with space', field: '/customerId', apply: (o) => ({ ...o, customerId: 'a b' }) },
  { name: 'currency lower case', field: '/currency', apply: (o) => ({ ...o, currency: 'eur' }) },
  { name: 'currency number', field: '/currency', apply: (o) => ({ ...o, currency: 978 as unknown as string }) },
  { name: 'extra field', field: '/coupon', apply: (o) => ({ ...o, coupon: 'FREE' }) },
];

/** A fault on one field of line `k`. */
const lineFault =
  (kind: string, attribute: 'sku' | 'quantity' | 'unitPrice', value: unknown) =>
  (k: number): FieldFault => ({
    name: `${kind} on line ${k}`,
    field: `/items/${k}/${attribute}`,
    line: k,
    kind,
    apply: (o) => ({
      ...o,
      items: o.items.map((item, i) => (i === k ? { ...item, [attribute]: value } : item)) as Order['items'],
    }),
  });

const LINE_FAULTS = [
  lineFault('sku lower case', 'sku', 'sku-a'),
  lineFault('quantity 0', 'quantity', 0),
  lineFault('unitPrice float', 'unitPrice', 1.5),
];
