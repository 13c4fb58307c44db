/** Inventory table keys (docs/design.md) and what the inventory reactions need from the environment. */
export const skuKey = (sku: string) => ({ pk: `SKU#${sku}` });
export const reservationKey = (orderId: string) => ({ pk: `RESERVATION#${orderId}` });

export interface InventoryDeps {
  readonly inventoryTable: string;
  readonly ordersTable: string;
  readonly outboxTopic: string;
  /** The function id, written as the `source` of emitted events. */
  readonly source: string;
}
