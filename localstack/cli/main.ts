/**
 * Entry point: `npm run cli -- <command> ...` (tsx localstack/cli/main.ts). Wires the process to runCli:
 * stdout/stderr, the environment, and Ctrl-C (first press stops the command cleanly, second exits now).
 */
import { runCli } from './cli';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
  // Clients are closed by the commands; should a stray socket keep the loop alive, do not hang the shell.
  setTimeout(() => process.exit(code), 2000).unref();
});
