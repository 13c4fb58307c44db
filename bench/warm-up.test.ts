import { warmUpUntilSettled } from './warm-up';

const rounds = (figures: number[][]) => (n: number) => Promise.resolve(figures[n - 1] ?? []);

describe('warmUpUntilSettled', () => {
  test('stops at the first round whose every figure is within 15 % of the round before', async () => {
    const seen = await warmUpUntilSettled(
      10,
      rounds([
        [10, 5],
        [6, 4],
        [5.5, 3],
        [5, 2.9],
        [1, 1],
      ]),
      (f) => f,
    );
    expect(seen).toEqual([
      [10, 5],
      [6, 4],
      [5.5, 3],
      [5, 2.9],
    ]); // round 3: 5.5 settled, 3 vs 4 not
  });

  test('runs at most maxRounds when the figures never settle', async () => {
    const seen = await warmUpUntilSettled(3, rounds([[8], [4], [2], [1]]), (f) => f);
    expect(seen).toHaveLength(3);
  });
});
