/** Inventory table keys (docs/design.md) and what the inventory reactions need from the environment. */
import type { OutboxDeps } from '../shared/outbox';
export const skuKey = (sku: string) => ({ pk: `SKU#${sku}` });
export const reservationKey = (orderId: string) => ({ pk: `RESERVATION#${orderId}` });

export interface InventoryDeps extends OutboxDeps {
  readonly inventoryTable: string;
}
