import { freshCopy } from './floor';

const ORDER = '019ae0c4-7b9a-7000-8000-0123456789ab';
const EVENT = '019ae0c4-7b9a-7000-8000-ba9876543210';
const HASH = 'q8/7cW+Tv0Zr2hYk3pLm9A==';
const template = [
  { operation: 'TransactWriteItems', body: `{"pk":"ORDER#${ORDER}","sk":"${EVENT}","sku":"SKU#SKU-BULK-007"}` },
  { operation: 'PutItem', body: `{"id":"notification#${HASH}","orderId":"${ORDER}"}` },
];

describe('freshCopy (the DynamoDB floor replay)', () => {
  it('gives every id a fresh one, the same within an order, and the order its own stock item', () => {
    const [first, second] = freshCopy(template, 42);
    const orderId = first?.body.match(/ORDER#([0-9a-f-]{36})/)?.[1];
    expect(orderId).toBeDefined();
    expect(orderId).not.toBe(ORDER);
    expect(second?.body).toContain(`"orderId":"${orderId}"`);
    expect(first?.body).not.toContain(EVENT);
    expect(second?.body).not.toContain(HASH);
    expect(second?.body).toMatch(/notification#[A-Za-z0-9+/]{22}=="/);
    expect(first?.body).toContain('SKU-BULK-042');
    expect(first?.operation).toBe('TransactWriteItems');
  });

  it('gives two copies different ids', () => {
    const a = freshCopy(template, 1)[0]?.body;
    const b = freshCopy(template, 1)[0]?.body;
    expect(a).not.toBe(b);
  });
});
