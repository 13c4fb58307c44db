import { mappings, OUTBOX_KEY_PREFIX, type StreamMappingSpec } from '../../../lib/topology';
import { compileFilters } from './filter-pattern';

const matches = (pattern: Record<string, unknown>, record: unknown) => compileFilters([pattern])(record);

const ddbRecord = (eventName: string, pk: string, extra: Record<string, unknown> = {}) => ({
  eventID: '1',
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: 'x' } }, SizeBytes: 120, ...extra },
});

describe('compileFilters: the relay mapping of lib/topology.ts', () => {
  const relay = mappings.find((m) => m.kind === 'dynamodb-stream') as StreamMappingSpec;
  const filter = compileFilters(relay.filterPatterns);

  it('delivers new outbox items only', () => {
    expect(filter(ddbRecord('INSERT', `${OUTBOX_KEY_PREFIX}order-1`))).toBe(true);
    expect(filter(ddbRecord('INSERT', 'ORDER#order-1'))).toBe(false); // the order item itself
    expect(filter(ddbRecord('MODIFY', `${OUTBOX_KEY_PREFIX}order-1`))).toBe(false);
    expect(filter(ddbRecord('REMOVE', `${OUTBOX_KEY_PREFIX}order-1`))).toBe(false); // TTL expiry
  });
});

describe('compileFilters: operators', () => {
  it('exact values: strings, numbers, booleans, null; any listed value matches', () => {
    expect(matches({ eventName: ['INSERT', 'MODIFY'] }, { eventName: 'MODIFY' })).toBe(true);
    expect(matches({ eventName: ['INSERT'] }, { eventName: 'insert' })).toBe(false);
    expect(matches({ n: [5] }, { n: 5 })).toBe(true);
    expect(matches({ n: [5] }, { n: '5' })).toBe(false);
    expect(matches({ b: [true] }, { b: true })).toBe(true);
    expect(matches({ v: [null] }, { v: null })).toBe(true);
    expect(matches({ v: [null] }, {})).toBe(false);
    expect(matches({ v: [''] }, { v: '' })).toBe(true);
  });

  it('nested objects follow the record structure; a missing branch does not match', () => {
    const p = { dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } } };
    expect(matches(p, ddbRecord('INSERT', 'OUTBOX#1'))).toBe(true);
    expect(matches(p, { dynamodb: { Keys: {} } })).toBe(false);
    expect(matches(p, { dynamodb: 'flat' })).toBe(false);
  });

  it('prefix, suffix and their ignore-case forms', () => {
    expect(matches({ s: [{ prefix: 'OUT' }] }, { s: 'OUTBOX#1' })).toBe(true);
    expect(matches({ s: [{ prefix: 'out' }] }, { s: 'OUTBOX#1' })).toBe(false);
    expect(matches({ s: [{ prefix: { 'equals-ignore-case': 'out' } }] }, { s: 'OUTBOX#1' })).toBe(true);
    expect(matches({ s: [{ suffix: '.png' }] }, { s: 'a.png' })).toBe(true);
    expect(matches({ s: [{ suffix: '.png' }] }, { s: 7 })).toBe(false);
    expect(matches({ s: [{ 'equals-ignore-case': 'Insert' }] }, { s: 'INSERT' })).toBe(true);
  });

  it('anything-but: values, a single value, or a prefix; the field must exist', () => {
    expect(matches({ e: [{ 'anything-but': ['REMOVE'] }] }, { e: 'INSERT' })).toBe(true);
    expect(matches({ e: [{ 'anything-but': 'REMOVE' }] }, { e: 'REMOVE' })).toBe(false);
    expect(matches({ e: [{ 'anything-but': ['REMOVE'] }] }, {})).toBe(false);
    expect(matches({ s: [{ 'anything-but': { prefix: 'ORDER#' } }] }, { s: 'OUTBOX#1' })).toBe(true);
    expect(matches({ s: [{ 'anything-but': { prefix: 'ORDER#' } }] }, { s: 'ORDER#1' })).toBe(false);
  });

  it('numeric ranges', () => {
    const p = { size: [{ numeric: ['>', 100, '<=', 200] }] };
    expect(matches(p, { size: 150 })).toBe(true);
    expect(matches(p, { size: 100 })).toBe(false);
    expect(matches(p, { size: 200 })).toBe(true);
    expect(matches(p, { size: '150' })).toBe(false);
    expect(matches({ n: [{ numeric: ['=', 3] }] }, { n: 3 })).toBe(true);
  });

  it('exists true / false', () => {
    expect(matches({ dynamodb: { OldImage: [{ exists: true }] } }, { dynamodb: { OldImage: { a: 1 } } })).toBe(true);
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } }, { dynamodb: {} })).toBe(true);
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } }, { dynamodb: { OldImage: {} } })).toBe(false);
  });

  it('array fields match when any element matches', () => {
    expect(matches({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matches({ tags: [{ prefix: 'x' }] }, { tags: ['a', 'b'] })).toBe(false);
  });

  it('$or and several patterns: any may match', () => {
    const p = { $or: [{ eventName: ['INSERT'] }, { dynamodb: { SizeBytes: [{ numeric: ['>', 1000] }] } }] };
    expect(matches(p, ddbRecord('INSERT', 'a'))).toBe(true);
    expect(matches(p, ddbRecord('MODIFY', 'a'))).toBe(false);
    expect(compileFilters([{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }])({ eventName: 'REMOVE' })).toBe(true);
    expect(compileFilters([])({ anything: 1 })).toBe(true);
  });

  it.each([
    [{ eventName: 'INSERT' }, /leaf must be an array/],
    [{ eventName: [] }, /empty list/],
    [{ eventName: [{ wildcard2: 'x' }] }, /unsupported operator "wildcard2"/],
    [{ eventName: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    [{ n: [{ numeric: ['>>', 1] }] }, /not a numeric comparison/],
    [{ n: [{ numeric: ['>', 1, '<'] }] }, /numeric takes/],
    [{ n: [{ exists: 'yes' }] }, /exists takes/],
    [{ $or: [{ a: ['x'] }] }, /\$or needs/],
  ])('rejects an invalid pattern %j naming the problem', (pattern, message) => {
    expect(() => compileFilters([pattern])).toThrow(message);
  });
});
