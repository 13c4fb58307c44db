/**
 * A fresh DynamoDB Local between the steps of a long run (`npm test`'s suites, `npm run bench`'s benchmarks).
 *
 * Why: DynamoDB Local keeps the records of every stream in one SQLite table, kept 24 h and keyed by
 * sequence number only, so a stream-enabled table created after many records exist pays for the older
 * records on its writes and GetRecords (README "DynamoDB Local slows down"). Measured on the 2-core build
 * VM: a capacity run on a server that had already run one pipeline's load sustained 8.4 orders/s at 0.94
 * DynamoDB Local cores, against 25.6 orders/s at 0.71 cores on a fresh server. Deleting tables does not
 * clear them; only a restart of the in-memory server does.
 *
 * Only a server this run started is restarted: one that was already running may hold someone's pipeline
 * (`npm start`), and restarting an in-memory server loses every table.
 */
import { type BackendId, type BackendOptions, startBackends, stopBackends } from './index';

export type FreshDynamoDb = 'restarted' | 'not started by this run';

/** Steps needing the backends, in run order: true for each that should get a fresh DynamoDB Local first. */
export function freshBefore(needsBackends: readonly boolean[]): boolean[] {
  let seen = false;
  return needsBackends.map((needs) => {
    if (!needs) return false;
    const fresh = seen; // the first step gets the server as just started
    seen = true;
    return fresh;
  });
}

/** Restarts DynamoDB Local when `startedByThisRun` holds it; otherwise leaves it alone and says so. */
export async function freshDynamoDbLocal(
  startedByThisRun: readonly BackendId[],
  opts: Omit<BackendOptions, 'only'> = {},
): Promise<FreshDynamoDb> {
  if (!startedByThisRun.includes('dynamodb')) return 'not started by this run';
  const only: BackendId[] = ['dynamodb'];
  await stopBackends({ ...opts, only });
  const result = await startBackends({ ...opts, only });
  if (!result.started.includes('dynamodb')) throw new Error('DynamoDB Local did not start again after its restart');
  return 'restarted';
}
