/**
 * Free text a function writes into an event (reasons, messages) is bounded by the schemas' `text`
 * definition; an event over the bound is refused by the outbox writer, which would park the order. So
 * every producer passes its free text through here. The limits are read from schemas/common/v1.json
 * (inlined by the bundler), never repeated. Lengths are counted in code points, as JSON Schema's
 * `maxLength` counts them (Ajv's default `unicode: true`).
 */
import commonV1 from '../../schemas/common/v1.json';

/** The schemas' bound on one free-text field (`$defs.text.maxLength`). */
export const TEXT_MAX_LENGTH: number = commonV1.$defs.text.maxLength;
const TEXT_MIN_LENGTH: number = commonV1.$defs.text.minLength;

const ELLIPSIS = '…';

/** `text` cut to `maxLength` code points (the cut marked with an ellipsis); never empty. */
export function boundedText(text: string, maxLength = TEXT_MAX_LENGTH): string {
  if (!Number.isInteger(maxLength) || maxLength < Math.max(1, TEXT_MIN_LENGTH)) {
    throw new RangeError(`maxLength must be an integer >= ${Math.max(1, TEXT_MIN_LENGTH)}, got ${maxLength}`);
  }
  const points = Array.from(text.length > 0 ? text : '-');
  if (points.length <= maxLength) return points.join('');
  return `${points.slice(0, maxLength - 1).join('')}${ELLIPSIS}`;
}

/**
 * `prefix` followed by as many of `names` as fit in `maxLength`, then "and N more": a reason that names
 * what it can and says how much it left out, rather than one cut mid-name.
 */
export function boundedList(prefix: string, names: readonly string[], maxLength = TEXT_MAX_LENGTH): string {
  const whole = `${prefix}${names.join(', ')}`;
  if (Array.from(whole).length <= maxLength) return whole;
  for (let shown = names.length - 1; shown >= 0; shown--) {
    const listed = names.slice(0, shown).join(', ');
    const rest = `${shown > 0 ? ', ' : ''}and ${names.length - shown} more`;
    const text = `${prefix}${listed}${rest}`;
    if (Array.from(text).length <= maxLength) return text;
  }
  return boundedText(whole, maxLength);
}
