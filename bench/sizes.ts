/**
 * How big each benchmark runs, in one place: the full sizes (`npm run bench`, the figures the README
 * quotes) and the smoke sizes (`npm run bench -- --smoke`, BENCH_SMOKE=1; what `npm test` runs so the
 * benchmarks cannot rot). A smoke takes every code path of its benchmark (warm-up, floor and measured run,
 * figures, report) with a few records or orders, short durations and one repetition: it proves the
 * benchmark runs and produces figures, not how fast anything is. The BENCH_* variables each benchmark
 * documents still override these defaults, in either mode.
 */

import type { FunctionId } from '../lib/topology';

export const SMOKE = process.env.BENCH_SMOKE === '1';

interface Sizes<T> {
  readonly full: T;
  readonly smoke: T;
}

interface BenchSizes {
  readonly batch: {
    readonly records: number;
    readonly keys: number;
    readonly concurrency: number;
    /** The regimes: modelled round trips per DynamoDB call, comma-separated (0 = DynamoDB Local as is). */
    readonly latenciesMs: string;
    /** Records per warm-up round, and the most rounds before the measured runs (warm-up runs until
     * DynamoDB Local's CPU per record settles, or this many rounds). */
    readonly warmUpRecords: number;
    readonly warmUpRounds: number;
  };
  /** Fresh processes each bundle is required in (init time: their median). */
  readonly bundles: {
    readonly initRuns: number;
    /** The functions bundled and measured; undefined = every function of lib/topology.ts. */
    readonly functions?: readonly FunctionId[];
  };
  /** Orders per second, for seconds. */
  readonly e2e: { readonly rate: number; readonly seconds: number };
  readonly capacity: {
    readonly rate: number;
    readonly seconds: number;
    readonly floorOrders: number;
    readonly floorConcurrency: number;
    /** Single orders recorded for the per-order template. */
    readonly templateSamples: number;
    /** Warm-up of the capacity pipeline: rounds of `warmUpRate` orders/s for `warmUpSeconds`, until
     * DynamoDB Local's CPU per order settles, at most `warmUpRounds`. */
    readonly warmUpRate: number;
    readonly warmUpSeconds: number;
    readonly warmUpRounds: number;
  };
  /** Seconds of the profiled e2e run (at the e2e rate). */
  readonly profile: { readonly seconds: number };
}

const SIZES: { readonly [B in keyof BenchSizes]: Sizes<BenchSizes[B]> } = {
  batch: {
    full: { records: 1000, keys: 100, concurrency: 32, latenciesMs: '0,5,10', warmUpRecords: 500, warmUpRounds: 10 },
    // Two regimes: DynamoDB Local as is, and one with the modelled round trip (its middleware path).
    smoke: { records: 40, keys: 8, concurrency: 4, latenciesMs: '0,5', warmUpRecords: 8, warmUpRounds: 2 },
  },
  bundles: {
    full: { initRuns: 7 },
    // A consumer and the relay: between them every package of bundles.bench.ts FLOOR_IMPORTS.
    smoke: { initRuns: 1, functions: ['inventory', 'outbox-relay'] },
  },
  e2e: {
    full: { rate: 5, seconds: 60 },
    smoke: { rate: 2, seconds: 3 },
  },
  capacity: {
    full: {
      rate: 30,
      seconds: 30,
      floorOrders: 600,
      floorConcurrency: 16,
      templateSamples: 5,
      warmUpRate: 10,
      warmUpSeconds: 8,
      warmUpRounds: 6,
    },
    // Three samples: the most frequent length still outvotes one sample that a race made longer (with
    // two, a tie, the longer wins and its extra calls fail in the replay).
    smoke: {
      rate: 4,
      seconds: 2,
      floorOrders: 20,
      floorConcurrency: 4,
      templateSamples: 3,
      warmUpRate: 4,
      warmUpSeconds: 1,
      warmUpRounds: 2,
    },
  },
  profile: {
    full: { seconds: 20 },
    smoke: { seconds: 3 },
  },
};

/** The sizes of `bench` in the mode this process runs in (`npm run bench` itself asks for the smoke's). */
export function sizesOf<B extends keyof BenchSizes>(bench: B, smoke = SMOKE): BenchSizes[B] {
  const sizes: Sizes<BenchSizes[B]> = SIZES[bench];
  return smoke ? sizes.smoke : sizes.full;
}

/** The e2e benchmark's rate (BENCH_RATE overrides it): it names the e2e report, which the cost benchmark reads. */
export const e2eRate = (smoke = SMOKE) => Number(process.env.BENCH_RATE ?? sizesOf('e2e', smoke).rate);
