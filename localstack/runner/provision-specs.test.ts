import { parseCatalog, stockItem } from '../../functions/inventory/catalog';
import { queues, tables, topics } from '../../lib/topology';
import { OPEN_ORDERS_INDEX_SPEC } from '../../test/fixtures/open-orders-index';
import { createTableInput, queueAttributes, tableMismatches, topicConfig } from './provision-specs';

describe('createTableInput', () => {
  it('translates the orders table: keys, GSI attributes once each, stream, on-demand, the sparse open-orders index', () => {
    expect(createTableInput(tables.orders, 't1-orders')).toEqual({
      TableName: 't1-orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'customerId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
        { AttributeName: 'openShard', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-customer',
          KeySchema: [
            { AttributeName: 'customerId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        OPEN_ORDERS_INDEX_SPEC,
      ],
    });
  });

  it('a table without stream or indexes has neither', () => {
    const input = createTableInput(tables.inventory, 'inventory');
    expect(input.StreamSpecification).toBeUndefined();
    expect(input.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('rejects an attribute declared with two types', () => {
    const spec = {
      ...tables.inventory,
      globalIndexes: [{ name: 'x', partitionKey: { name: 'pk', type: 'N' as const } }],
    };
    expect(() => createTableInput(spec, 'inventory')).toThrow(/pk is declared both S and N/);
  });
});

describe('tableMismatches', () => {
  it('accepts a table made from the topology and names each difference of one that is not', () => {
    const made = createTableInput(tables.orders, 'orders');
    const table = {
      TableName: 'orders',
      KeySchema: made.KeySchema,
      StreamSpecification: made.StreamSpecification,
      GlobalSecondaryIndexes: [{ IndexName: 'by-customer' }, { IndexName: 'open-orders' }],
    };
    expect(tableMismatches(tables.orders, table)).toEqual([]);
    expect(
      tableMismatches(tables.orders, { ...table, StreamSpecification: undefined, GlobalSecondaryIndexes: [] }),
    ).toEqual([
      'stream is off, topology says NEW_IMAGE',
      'global indexes are [], topology says [by-customer, open-orders]',
    ]);
  });
});

describe('topics, queues and the catalog', () => {
  it('topic: partitions and retention.ms from the topology', () => {
    expect(topicConfig(topics.notifications, 'p-notifications')).toEqual({
      topic: 'p-notifications',
      numPartitions: 3,
      replicationFactor: 1,
      configEntries: [{ name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) }],
    });
  });

  it('queue: retention from the topology', () => {
    expect(queueAttributes(queues['order-view-dlq'])).toEqual({ MessageRetentionPeriod: '1209600' });
  });

  it('catalog: validated entries become SKU# items with nothing reserved', () => {
    const [item] = parseCatalog({ items: [{ sku: 'SKU-A', name: 'A', available: 3 }] });
    expect(stockItem(item as NonNullable<typeof item>)).toEqual({
      pk: 'SKU#SKU-A',
      sku: 'SKU-A',
      name: 'A',
      available: 3,
      reserved: 0,
    });
    expect(() => parseCatalog([])).toThrow(/"items" array/);
    expect(() => parseCatalog({ items: [{ sku: 'SKU-A', name: 'A', available: -1 }] })).toThrow(/items\[0\] \(SKU-A\)/);
    expect(() => parseCatalog({ items: [{ name: 'A', available: 1 }] })).toThrow(/"sku"/);
    expect(() => parseCatalog({ items: [] })).toThrow(/no items/);
    expect(() =>
      parseCatalog({
        items: [
          { sku: 'SKU-A', name: 'A', available: 1 },
          { sku: 'SKU-A', name: 'A again', available: 2 },
        ],
      }),
    ).toThrow(/items\[1\] \(SKU-A\).*twice/);
  });
});
