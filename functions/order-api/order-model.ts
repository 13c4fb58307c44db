/**
 * The order as the API writes and shows it. The order item (docs/design.md, orders table) is also the
 * read model: order-view later moves its status and appends history, so the API reads it back as is.
 */

import type { CreateOrderRequest, Money, OrderLine } from '../../schemas/types';
import type { HistoryStep, OrderStatus } from '../order-view/status';
import { validationFailed } from './http';

export const ORDER_PREFIX = 'ORDER#';
export const ORDER_SK = 'ORDER';
export const BY_CUSTOMER_INDEX = 'by-customer';

export const orderKey = (orderId: string) => ({ pk: `${ORDER_PREFIX}${orderId}`, sk: ORDER_SK });

/** The order item's attributes. */
export interface OrderItem {
  readonly pk: string;
  readonly sk: string;
  readonly entityType: 'ORDER';
  readonly orderId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly OrderLine[];
  readonly total: Money;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly HistoryStep[];
  readonly version: number;
  /** Open-order marker (functions/shared/open-orders.ts): present only while the order is open. */
  readonly openShard?: string;
  readonly lastProgressAt?: string;
  readonly lastRedriveAt?: string;
}

export interface PricedOrder {
  readonly items: readonly OrderLine[];
  readonly total: Money;
}

/**
 * Lines priced in integer minor units. The schema bounds make overflow impossible today; the check
 * keeps it impossible if the bounds are ever relaxed (a silent float would corrupt money).
 */
export function priceOrder(request: CreateOrderRequest): PricedOrder {
  let total = 0;
  const items = request.items.map((line, i) => {
    const lineTotal = line.quantity * line.unitPrice;
    total += lineTotal;
    if (!Number.isSafeInteger(lineTotal) || !Number.isSafeInteger(total)) {
      throw validationFailed('order total is too large', [
        { path: `/items/${i}`, message: 'quantity x unitPrice overflows the order total' },
      ]);
    }
    return {
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: { amount: line.unitPrice, currency: request.currency },
    };
  });
  return { items, total: { amount: total, currency: request.currency } };
}

/** GET /orders/{id}: the order with its status and history (each step: event type, time, detail). */
export function orderRepresentation(item: OrderItem, selfLink: string) {
  return {
    orderId: item.orderId,
    customerId: item.customerId,
    status: item.status,
    currency: item.currency,
    items: item.items,
    total: item.total,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    history: item.history.map((step) => ({ eventType: step.eventType, at: step.at, detail: step.detail })),
    links: { self: selfLink },
  };
}

/** An entry of GET /orders?customerId=: enough to list, the link for the rest. */
export function orderSummary(item: OrderItem, selfLink: string) {
  return {
    orderId: item.orderId,
    status: item.status,
    total: item.total,
    lineCount: item.items.length,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    links: { self: selfLink },
  };
}
