import { newEvent } from '../../../functions/shared/envelope';
import { orderCreated } from '../../../test/support/saga-fixture';
import { foldEvents, viewDifferences, withRedriveSteps } from './fold';

describe('read model fold', () => {
  const created = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
  const reserved = newEvent({
    type: 'InventoryReserved',
    orderId: created.orderId,
    source: 'inventory',
    cause: created,
    payload: {
      customerId: created.payload.customerId,
      reservationId: created.orderId,
      items: [{ sku: 'SKU-A', quantity: 1 }],
      total: created.payload.total,
    },
  });

  it('folds events in any arrival order to the same view, duplicates once', () => {
    const a = foldEvents([created, reserved]).get(created.orderId);
    const b = foldEvents([reserved, created, reserved]).get(created.orderId);
    expect(a).toEqual(b);
    expect(a?.status).toBe('RESERVED');
    expect(a?.history.map((h) => h.eventType)).toEqual(['OrderCreated', 'InventoryReserved']);
  });

  it('reports what the live item lacks or has extra, and keeps re-drive steps', () => {
    const rebuilt = foldEvents([created, reserved]).get(created.orderId);
    if (!rebuilt) throw new Error('no view');
    expect(viewDifferences(rebuilt, rebuilt)).toEqual([]);
    const corrupted = { status: 'CANCELLED', history: rebuilt.history.slice(0, 1) };
    expect(viewDifferences(corrupted, rebuilt)).toEqual([
      'status CANCELLED → RESERVED',
      `history lacks InventoryReserved:${reserved.eventId}`,
    ]);
    const redrive = {
      eventId: 'r-1',
      eventType: 'OrderRedriven' as const,
      at: created.occurredAt,
      sequence: 1,
      detail: 're-driven',
    };
    const kept = withRedriveSteps(rebuilt, { history: [redrive] });
    expect(kept.history.map((h) => h.eventType)).toContain('OrderRedriven');
    expect(viewDifferences({ status: 'RESERVED', history: kept.history }, kept)).toEqual([]);
  });
});
