/** Test helpers for the CLI: an in-memory CliIo that records what a command prints. */
import { runCli } from '../../localstack/cli/cli';
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

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs one CLI command line with a captured CliIo: its exit code and what it printed. */
export async function runCliCaptured(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const c = captureIo(env);
  const code = await runCli(argv, c.io);
  return { code, out: c.out, err: c.err };
}
