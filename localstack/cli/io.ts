/**
 * What a command talks to besides its sources: output lines, the environment it reads its settings from,
 * and a signal that fires on Ctrl-C. Commands never touch process.* directly, so tests run them in-process
 * and capture what they print.
 */

export interface CliIo {
  /** Results (stdout): what a script would pipe on. */
  readonly out: (line: string) => void;
  /** Progress, hints and errors (stderr). */
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long-running commands (tail, watch, redrive) stop cleanly between steps. */
  readonly signal: AbortSignal;
}

/** Exit codes, documented in the CLI README. */
export const EXIT = {
  ok: 0,
  /** The operation ran and did not succeed: API error, watch timeout, a redrive that failed. */
  failed: 1,
  /** The command line was wrong (unknown command/option, bad value): nothing was done. */
  usage: 2,
  /** A server the command needs could not be reached or refused the request. */
  unavailable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure with a message meant for the user (no stack trace) and its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose --help explains the fix, e.g. `order place`. */
    readonly command?: string,
  ) {
    super(message, EXIT.usage);
  }
}

/** Sleeps, but wakes up early (resolving false) when the user presses Ctrl-C. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
