/**
 * The relay's filter criteria from the topology, through the twin's filter engine: new outbox items
 * and outbox items the reconciler re-drives (MODIFY with redrivenAt) reach the relay; other changes
 * (order writes, an outbox MODIFY without the mark, TTL removals) do not.
 */
import { streamMappings } from '../../../lib/topology';
import { compileFilters } from './filter-pattern';

const relay = streamMappings.find((m) => m.function === 'outbox-relay');
const keep = compileFilters(relay?.filterPatterns ?? []);
const record = (eventName: string, pk: string, newImage: Record<string, unknown> = {}) => ({
  eventName,
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: 'e1' } }, NewImage: { pk: { S: pk }, ...newImage } },
});

describe('relay filter criteria (topology)', () => {
  it('keeps outbox INSERTs and re-driven outbox MODIFYs', () => {
    expect(keep(record('INSERT', 'OUTBOX#o1'))).toBe(true);
    expect(keep(record('MODIFY', 'OUTBOX#o1', { redrivenAt: { S: '2026-01-01T00:00:00.000Z' } }))).toBe(true);
  });

  it('drops order writes, unmarked outbox MODIFYs and removals', () => {
    expect(keep(record('INSERT', 'ORDER#o1'))).toBe(false);
    expect(keep(record('MODIFY', 'ORDER#o1', { redrivenAt: { S: 'x' } }))).toBe(false);
    expect(keep(record('MODIFY', 'OUTBOX#o1'))).toBe(false);
    expect(keep({ eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: 'OUTBOX#o1' } } } })).toBe(false);
  });
});
