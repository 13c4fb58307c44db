/**
 * An error meant for the person at the terminal: the message says what went wrong and what to do.
 * The CLI prints only the message for these (no stack trace); anything else is a bug and keeps
 * its stack.
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

export const isBackendError = (e: unknown): e is BackendError => e instanceof BackendError;
