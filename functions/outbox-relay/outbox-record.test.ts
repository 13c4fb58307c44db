import { dynamoStreamRecord, type StreamChange } from '../../test/support/aws-events';
import { testSchemaIds as ids } from '../../test/support/schema-ids';
import { PermanentError } from '../shared/errors';
import { SchemaVersionIds } from '../shared/schema-ids';
import { decideRecord } from './outbox-record';

const orderId = '0190f0d2-7c4e-7a1b-8c3d-1234567890ab';
const eventId = '0190f0d2-7c4f-7a1b-8c3d-1234567890ac';
const envelope = {
  eventId,
  type: 'OrderCreated',
  version: 2,
  occurredAt: '2026-01-01T12:00:00.000Z',
  source: 'order-api',
  correlationId: 'corr-1',
  causationId: 'req-1',
  orderId,
  sequence: 1,
  payload: {},
};
const outboxItem = (overrides: Record<string, unknown> = {}) => ({
  pk: `OUTBOX#${orderId}`,
  sk: eventId,
  entityType: 'OUTBOX',
  topic: 'orders',
  eventId,
  type: 'OrderCreated',
  version: 2,
  orderId,
  correlationId: 'corr-1',
  envelope: JSON.stringify(envelope),
  createdAt: '2026-01-01T12:00:00.000Z',
  expiresAt: 1767441600,
  ...overrides,
});
const insert = (item: Record<string, unknown>, change: Partial<StreamChange> = {}) =>
  dynamoStreamRecord('orders', { eventName: 'INSERT', keys: { pk: item.pk, sk: item.sk }, newImage: item, ...change });

function permanentReason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PermanentError) return err.reason;
    throw err;
  }
  throw new Error('record was accepted');
}

describe('decideRecord', () => {
  it('publishes an outbox INSERT: its topic, keyed by orderId, the envelope as value, headers from the envelope', () => {
    const decision = decideRecord(insert(outboxItem()), ids);
    expect(decision).toEqual({
      kind: 'publish',
      correlationId: 'corr-1',
      eventType: 'OrderCreated',
      eventId,
      message: {
        topic: 'orders',
        key: orderId,
        value: JSON.stringify(envelope),
        headers: {
          'event-type': 'OrderCreated',
          'event-version': '2',
          'event-id': eventId,
          'correlation-id': 'corr-1',
          'schema-version-id': ids.idOf('OrderCreated', 2),
        },
      },
    });
  });

  it("publishes the item's trace context as traceparent and X-Amzn-Trace-Id headers, same trace id", () => {
    const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const decision = decideRecord(insert(outboxItem({ traceHeader })), ids);
    if (decision.kind !== 'publish') throw new Error('not published');
    expect(decision.message.headers).toMatchObject({
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      'X-Amzn-Trace-Id': traceHeader,
    });
  });

  it("continues the relay invocation's trace for an item written without one, and adds none without either", () => {
    const previous = process.env._X_AMZN_TRACE_ID;
    try {
      delete process.env._X_AMZN_TRACE_ID;
      const untraced = decideRecord(insert(outboxItem()), ids);
      expect(untraced.kind === 'publish' && Object.keys(untraced.message.headers)).not.toContain('traceparent');
      process.env._X_AMZN_TRACE_ID = 'Root=1-6759e988-0d862e3fe1be46a994272793;Parent=63995c3f42cd8ad8;Sampled=0';
      const decision = decideRecord(insert(outboxItem()), ids);
      if (decision.kind !== 'publish') throw new Error('not published');
      expect(decision.message.headers.traceparent).toBe('00-6759e9880d862e3fe1be46a994272793-63995c3f42cd8ad8-00');
    } finally {
      if (previous === undefined) delete process.env._X_AMZN_TRACE_ID;
      else process.env._X_AMZN_TRACE_ID = previous;
    }
  });

  it('ignores TTL removals, modifications and non-outbox items', () => {
    const item = outboxItem();
    const keys = { pk: item.pk, sk: item.sk };
    const ttlRemove = dynamoStreamRecord('orders', { eventName: 'REMOVE', keys, oldImage: item, ttlRemoval: true });
    expect(ttlRemove.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(decideRecord(ttlRemove, ids).kind).toBe('ignore');
    expect(decideRecord(dynamoStreamRecord('orders', { eventName: 'MODIFY', keys, newImage: item }), ids).kind).toBe(
      'ignore',
    );
    const order = { pk: `ORDER#${orderId}`, sk: 'ORDER', status: 'PENDING' };
    expect(decideRecord(insert(order), ids).kind).toBe('ignore');
  });

  it('publishes a re-driven outbox item (MODIFY with redrivenAt) as the same event again', () => {
    const item = outboxItem({ redrivenAt: '2026-01-01T12:05:00.000Z', redriveCount: 1 });
    const modify = dynamoStreamRecord('orders', {
      eventName: 'MODIFY',
      keys: { pk: item.pk, sk: item.sk },
      newImage: item,
    });
    const decision = decideRecord(modify, ids);
    expect(decision).toEqual(decideRecord(insert(outboxItem()), ids));
    expect(decision.kind).toBe('publish');
  });

  it.each([
    ['no topic', { topic: undefined }, 'MISSING_VALUE'],
    ['an empty topic', { topic: '' }, 'MISSING_VALUE'],
    ['no envelope', { envelope: undefined }, 'MISSING_VALUE'],
    ['an envelope that is not JSON', { envelope: '{"eventId":' }, 'MALFORMED_JSON'],
    ['an envelope that is not an object', { envelope: '[1]' }, 'INVALID_EVENT'],
    ['an envelope without eventId', { envelope: JSON.stringify({ ...envelope, eventId: undefined }) }, 'INVALID_EVENT'],
    ['an envelope of another order', { envelope: JSON.stringify({ ...envelope, orderId: 'other' }) }, 'KEY_MISMATCH'],
    ['an item orderId that differs from its key', { orderId: 'other' }, 'KEY_MISMATCH'],
    ['a sort key that is not the eventId', { sk: 'not-the-event' }, 'KEY_MISMATCH'],
  ])('refuses an outbox item with %s', (_, overrides, reason) => {
    expect(permanentReason(() => decideRecord(insert(outboxItem(overrides)), ids))).toBe(reason);
  });

  it('refuses an outbox INSERT without a NewImage (KEYS_ONLY stream)', () => {
    const item = outboxItem();
    const record = dynamoStreamRecord('orders', {
      eventName: 'INSERT',
      keys: { pk: item.pk, sk: item.sk },
      streamViewType: 'KEYS_ONLY',
    });
    expect(permanentReason(() => decideRecord(record, ids))).toBe('MISSING_VALUE');
  });

  it("stamps the registry id of the envelope's own version, and refuses a version the registry lacks", () => {
    const v1 = { ...envelope, version: 1 };
    const decision = decideRecord(insert(outboxItem({ version: 1, envelope: JSON.stringify(v1) })), ids);
    expect(decision.kind === 'publish' && decision.message.headers['schema-version-id']).toBe(
      ids.idOf('OrderCreated', 1),
    );
    expect(ids.idOf('OrderCreated', 1)).not.toBe(ids.idOf('OrderCreated', 2));

    // A registry that never accepted OrderCreated v2 (the producer's checkout is ahead of it).
    const withoutV2 = new SchemaVersionIds(
      [1].map((version) => ({ type: 'OrderCreated', version, id: ids.idOf('OrderCreated', version) as string })),
    );
    expect(permanentReason(() => decideRecord(insert(outboxItem()), withoutV2))).toBe('UNREGISTERED_SCHEMA_VERSION');
    const v3 = { ...envelope, version: 3 };
    expect(permanentReason(() => decideRecord(insert(outboxItem({ envelope: JSON.stringify(v3) })), ids))).toBe(
      'UNREGISTERED_SCHEMA_VERSION',
    );
  });
});
