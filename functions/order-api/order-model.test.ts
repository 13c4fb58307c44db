import type { CreateOrderRequest } from '../../schemas/types';
import { ApiError } from './http';
import { priceOrder } from './order-model';

describe('priceOrder', () => {
  it('prices every line in integer minor units of the order currency', () => {
    const priced = priceOrder({
      customerId: 'c-1',
      currency: 'EUR',
      items: [
        { sku: 'SKU-A', quantity: 3, unitPrice: 1999 },
        { sku: 'SKU-B', quantity: 1, unitPrice: 0 },
        { sku: 'SKU-A', quantity: 2, unitPrice: 1 },
      ],
    });
    expect(priced.total).toEqual({ amount: 5999, currency: 'EUR' });
    expect(priced.items).toEqual([
      { sku: 'SKU-A', quantity: 3, unitPrice: { amount: 1999, currency: 'EUR' } },
      { sku: 'SKU-B', quantity: 1, unitPrice: { amount: 0, currency: 'EUR' } },
      { sku: 'SKU-A', quantity: 2, unitPrice: { amount: 1, currency: 'EUR' } },
    ]);
  });

  it('refuses a total that is not a safe integer, naming the line that overflowed', () => {
    const request: CreateOrderRequest = {
      customerId: 'c-1',
      currency: 'EUR',
      items: [
        { sku: 'SKU-A', quantity: 1, unitPrice: 2 ** 52 },
        { sku: 'SKU-B', quantity: 1, unitPrice: 2 ** 52 },
      ],
    };
    let err: unknown;
    try {
      priceOrder(request);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('VALIDATION_FAILED');
    expect((err as ApiError).fields?.[0]?.path).toBe('/items/1');
  });
});
