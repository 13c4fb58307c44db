/** Warm-up until the figures a round measures settle: the benchmarks' measured runs start on warm JITs. */

/** A figure is settled when it is within this share of the round before's. */
export const SETTLED_WITHIN = 0.15;

/**
 * Runs `round` (1, 2, ...) until every figure `figuresOf` takes from a round is within SETTLED_WITHIN of the
 * same figure of the round before, or `maxRounds` have run; returns each round's result.
 */
export async function warmUpUntilSettled<T>(
  maxRounds: number,
  round: (n: number) => Promise<T>,
  figuresOf: (result: T) => readonly number[],
): Promise<T[]> {
  const results: T[] = [];
  for (let n = 1; n <= maxRounds; n++) {
    const result = await round(n);
    const previous = results.at(-1);
    results.push(result);
    if (previous === undefined) continue;
    const before = figuresOf(previous);
    if (figuresOf(result).every((now, i) => Math.abs(now - (before[i] ?? 0)) <= SETTLED_WITHIN * (before[i] ?? 0)))
      break;
  }
  return results;
}
