import commonV1 from '../../schemas/common/v1.json';
import { boundedList, boundedText, TEXT_MAX_LENGTH } from './bounded-text';

describe('boundedText', () => {
  it('takes its bound from the schemas', () => {
    expect(TEXT_MAX_LENGTH).toBe(commonV1.$defs.text.maxLength);
  });

  it('keeps text within the bound as it is', () => {
    expect(boundedText('payment declined: LIMIT_EXCEEDED')).toBe('payment declined: LIMIT_EXCEEDED');
    expect(boundedText('x'.repeat(TEXT_MAX_LENGTH))).toHaveLength(TEXT_MAX_LENGTH);
  });

  it('cuts longer text to the bound and marks the cut', () => {
    const cut = boundedText('y'.repeat(TEXT_MAX_LENGTH * 3));
    expect(Array.from(cut)).toHaveLength(TEXT_MAX_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('counts code points, as JSON Schema does, and never splits a surrogate pair', () => {
    const emoji = '🛒'.repeat(20); // 20 code points, 40 UTF-16 units
    expect(boundedText(emoji, 20)).toBe(emoji);
    const cut = boundedText(emoji, 10);
    expect(Array.from(cut)).toEqual([...Array(9).fill('🛒'), '…']);
  });

  it('never returns an empty text (the schema wants at least one character)', () => {
    expect(boundedText('')).toBe('-');
  });

  it('refuses a bound no text can meet', () => {
    expect(() => boundedText('abc', 0)).toThrow('maxLength must be an integer >= 1, got 0');
  });
});

describe('boundedList', () => {
  it('lists every name when they fit', () => {
    expect(boundedList('short: ', ['A', 'B'])).toBe('short: A, B');
  });

  it('lists the names that fit and counts the rest', () => {
    const names = Array.from({ length: 50 }, (_, i) => `SKU-UNKNOWN-${String(i).padStart(40, '0')}`);
    const text = boundedList('insufficient stock for ', names);
    expect(Array.from(text).length).toBeLessThanOrEqual(TEXT_MAX_LENGTH);
    const shown = text.slice('insufficient stock for '.length).split(', ');
    const more = /and (\d+) more$/.exec(text);
    expect(more).not.toBeNull();
    expect(shown.length - 1 + Number(more?.[1])).toBe(50);
    expect(shown[0]).toBe(names[0]);
  });

  it('falls back to cutting when even the prefix is too long', () => {
    expect(boundedList('p'.repeat(30), ['A'], 20)).toBe(`${'p'.repeat(19)}…`);
  });
});
