import { freshBefore } from './fresh-dynamodb';

test('every step needing the backends after the first gets a fresh DynamoDB Local', () => {
  // npm test's order: static, unit, cdk, integration, e2e, fault, bench smoke.
  expect(freshBefore([false, false, false, true, true, true, true])).toEqual([
    false,
    false,
    false,
    false,
    true,
    true,
    true,
  ]);
});

test('no step needing the backends, or only one: no restart', () => {
  expect(freshBefore([false, false])).toEqual([false, false]);
  expect(freshBefore([false, true, false])).toEqual([false, false, false]);
  expect(freshBefore([])).toEqual([]);
});
