/**
 * Every example beside every schema: valid ones validate; each invalid one fails with the stated path
 * and keyword, and at that path only (an example tests one field, nothing else fails by accident; a
 * field may break two overlapping rules, e.g. maxLength and a pattern with a length bound).
 */
import { validateCreateOrderRequest, validateEvent } from '../functions/shared/validation';
import { createOrderRequestSchema, eventSchemas } from './index';
import { examplesOf, type InvalidExample, invalidValue, sharedSchema } from './test-support';

function expectOnly(errors: readonly { path: string; keyword: string }[], example: InvalidExample) {
  expect(errors).toContainEqual(
    expect.objectContaining({ path: example.expectedPath, keyword: example.expectedKeyword }),
  );
  expect(errors.map((e) => e.path)).toEqual(errors.map(() => example.expectedPath));
}

const eventExampleSets = [
  ...eventSchemas.map((e) => ({ name: `${e.type} v${e.version}`, examples: examplesOf(e.schema) })),
  // The envelope's own examples are whole events of several types failing on envelope fields.
  { name: 'envelope', examples: examplesOf(sharedSchema('/envelope/v1.json')) },
];

describe.each(eventExampleSets)('$name examples', ({ examples }) => {
  it('has valid and invalid examples', () => {
    expect(examples.valid.length).toBeGreaterThan(0);
    expect(examples.invalid.length).toBeGreaterThan(0);
  });

  it.each(examples.valid.map((event, i) => ({ i, event })))('valid #$i validates', ({ event }) => {
    expect(validateEvent(event)).toEqual({ ok: true, event });
  });

  it.each(examples.invalid.map((example) => ({ d: example.description, example })))('invalid: $d', ({ example }) => {
    const result = validateEvent(invalidValue(example));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(example.expectedReason ?? 'INVALID');
    expectOnly(result.errors, example);
  });
});

describe('CreateOrderRequest v1 examples', () => {
  const examples = examplesOf(createOrderRequestSchema);

  it.each(examples.valid.map((body, i) => ({ i, body })))('valid #$i validates', ({ body }) => {
    expect(validateCreateOrderRequest(body)).toEqual({ ok: true, value: body });
  });

  it.each(examples.invalid.map((example) => ({ d: example.description, example })))('invalid: $d', ({ example }) => {
    const result = validateCreateOrderRequest(invalidValue(example));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectOnly(result.errors, example);
  });
});
