/** The soak tool's command line (`npm run soak -- --orders N [--rate R] [--faults a,b] ...`). */

const FAULT_KINDS = [
  'broker-kill',
  'environment-kill',
  'dynamodb-throttle',
  'relay-outage',
  'relay-outage-long',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Injected when `--faults` is not given: every kind, including `relay-outage-long` (the relay failing
 * longer than its stream mapping's retries), whose batches go to the on-failure queue and whose orders
 * the reconciler re-publishes after the re-drive deadline, with no operator action.
 */
export const DEFAULT_FAULTS: readonly FaultKind[] = FAULT_KINDS;

export interface SoakOptions {
  readonly orders: number;
  /** Orders per second. */
  readonly rate: number;
  readonly faults: readonly FaultKind[];
  /** Seconds between the starts of two faults. */
  readonly faultEverySeconds: number;
  /** How long to wait after the load for every order to settle. */
  readonly settleSeconds: number;
  readonly out: string;
}

export const USAGE = `usage: npm run soak -- --orders N [--rate R] [--faults ${FAULT_KINDS.join(',')}]
                        [--fault-every SECONDS] [--settle SECONDS] [--out FILE]
  --orders       orders to send (required), e.g. 10000
  --rate         orders per second (default 5)
  --faults       faults to take turns, comma-separated (default ${DEFAULT_FAULTS.join(',')})
  --fault-every  seconds between faults (default 60)
  --settle       seconds to wait for the last orders after the load (default 300)
  --out          report file (default reports/soak.json)`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positive(flag: string, raw: string | undefined, integer: boolean): number {
  const value = Number(raw);
  if (
    raw === undefined ||
    raw === '' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${flag} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(raw ?? '')}`,
    );
  }
  return value;
}

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  let orders: number | undefined;
  let rate = 5;
  let faults: readonly FaultKind[] = DEFAULT_FAULTS;
  let faultEverySeconds = 60;
  let settleSeconds = 300;
  let out = 'reports/soak.json';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    i++;
    switch (flag) {
      case '--orders':
        orders = positive(flag, value, true);
        break;
      case '--rate':
        rate = positive(flag, value, false);
        break;
      case '--fault-every':
        faultEverySeconds = positive(flag, value, false);
        break;
      case '--settle':
        settleSeconds = positive(flag, value, false);
        break;
      case '--out':
        if (!value) throw new UsageError('--out needs a file name');
        out = value;
        break;
      case '--faults': {
        const list = (value ?? '').split(',').filter((f) => f !== '');
        const unknown = list.filter((f) => !(FAULT_KINDS as readonly string[]).includes(f));
        if (list.length === 0 || unknown.length > 0) {
          throw new UsageError(
            `--faults: unknown fault ${JSON.stringify(unknown[0] ?? '')} (known: ${FAULT_KINDS.join(', ')})`,
          );
        }
        faults = list as FaultKind[];
        break;
      }
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (orders === undefined) throw new UsageError('--orders is required');
  return { orders, rate, faults, faultEverySeconds, settleSeconds, out };
}
