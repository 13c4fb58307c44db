/**
 * Test handler with behaviours chosen by the event: sleep, throw, exit, callback style, or fail the
 * first N invocations of this environment.
 */
import type { Context } from 'aws-lambda';

class OrderRejectedError extends Error {
  override readonly name = 'OrderRejectedError';
}

interface Behaviour {
  readonly sleepMs?: number;
  readonly throw?: string;
  readonly throwString?: string;
  readonly exit?: number;
  readonly failFirst?: number;
  readonly result?: unknown;
}

let seen = 0;

export const handler = async (event: Behaviour, _context: Context) => {
  seen++;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  if (event.throw) throw new OrderRejectedError(event.throw);
  if (event.throwString) throw event.throwString;
  if (event.exit !== undefined) process.exit(event.exit);
  if (event.failFirst && seen <= event.failFirst) throw new Error(`failing invocation ${seen}`);
  return event.result ?? { seen };
};
