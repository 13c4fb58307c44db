/**
 * The inventory catalog (functions/inventory/catalog.json, docs/design.md "Inventory catalog"): its
 * validation and the inventory item each entry becomes. Shared by the CDK seed (lib/data/catalog-seed.ts)
 * and the local provisioner (localstack/runner/provision.ts), so both load the same items and refuse the
 * same broken files.
 */
import { skuKey } from './keys';

export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly available: number;
}

/**
 * Validates functions/inventory/catalog.json's shape; a broken seed file fails with the entry at fault.
 * An empty catalog or a SKU listed twice is refused too.
 */
export function parseCatalog(raw: unknown): CatalogItem[] {
  const items = (raw as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error('catalog: expected an object with an "items" array');
  if (items.length === 0) throw new Error('catalog: the catalog has no items');
  const seen = new Set<string>();
  return items.map((item, i) => {
    const { sku, name, available } = (item ?? {}) as Record<string, unknown>;
    if (typeof sku !== 'string' || sku === '') throw new Error(`catalog items[${i}]: "sku" must be a non-empty string`);
    if (seen.has(sku)) throw new Error(`catalog items[${i}] (${sku}): the catalog lists this SKU twice`);
    seen.add(sku);
    if (typeof name !== 'string') throw new Error(`catalog items[${i}] (${sku}): "name" must be a string`);
    if (!Number.isInteger(available) || (available as number) < 0) {
      throw new Error(`catalog items[${i}] (${sku}): "available" must be an integer >= 0`);
    }
    return { sku, name, available: available as number };
  });
}

/** The inventory item of one SKU (docs/design.md "Inventory catalog"). */
export const stockItem = (c: CatalogItem) => ({
  ...skuKey(c.sku),
  sku: c.sku,
  name: c.name,
  available: c.available,
  reserved: 0,
});
