/** Test helpers for the CLI: an in-memory CliIo that records what a command prints. */
import type { CliIo } from '../../localstack/cli/io';

export interface CapturedIo {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
  /** Simulates Ctrl-C. */
  readonly interrupt: () => void;
}

export function captureIo(env: NodeJS.ProcessEnv = process.env): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), env, signal: controller.signal },
    out,
    err,
    interrupt: () => controller.abort(),
  };
}
