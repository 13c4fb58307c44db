/**
 * The CLI's dispatcher: finds the command from the leading words, parses its line, runs it, and turns every
 * failure into one message on stderr and an exit code (io.ts EXIT). In-process and side-effect free apart
 * from what the command does, so tests call `runCli` directly.
 */
import { API_ENV } from './api-client';
import { type Command, helpText, PROGRAM, parseCommand } from './args';
import { dlqList, dlqRedrive } from './commands/dlq';
import { orderGet, orderList, orderPlace, orderWatch } from './commands/order';
import { orderTrace } from './commands/order-trace';
import { rebuildOrderView } from './commands/rebuild';
import { replay } from './commands/replay';
import { topicTail } from './commands/topic';
import { CliError, type CliIo, EXIT, type ExitCode, UsageError } from './io';
import { PREFIX_ENV, TARGET_ENV } from './target';

export const COMMANDS: readonly Command[] = [
  orderPlace,
  orderWatch,
  orderGet,
  orderList,
  orderTrace,
  topicTail,
  dlqList,
  dlqRedrive,
  replay,
  rebuildOrderView,
];

const firstSentence = (s: string) => s.split(/(?<=\.)\s/)[0] ?? s;

function mainHelp(): string {
  const rows = COMMANDS.map((c) => `  ${c.spec.path.padEnd(14)} ${firstSentence(c.spec.summary)}`);
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    'Commands:',
    ...rows,
    '',
    `Every command has --help. Exit codes: ${EXIT.ok} done, ${EXIT.failed} failed (API error, watch timeout, ` +
      `redrive failure), ${EXIT.usage} bad command line, ${EXIT.unavailable} a server could not be reached.`,
    `Settings: ${API_ENV} (API base URL), ${PREFIX_ENV} (name prefix), ${TARGET_ENV} (local|aws), and the runner's ` +
      'AWS_ENDPOINT_URL*, AWS_REGION, KAFKA_BROKERS / MSK_CLUSTER_ARN.',
  ].join('\n');
}

function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } {
  const [group, name] = argv;
  // One-word commands (`replay <function>`) take their positionals right after the word.
  const single = COMMANDS.find((c) => c.spec.path === group);
  if (single) return { command: single, rest: argv.slice(1) };
  const command = COMMANDS.find((c) => c.spec.path === `${group} ${name}`);
  if (command) return { command, rest: argv.slice(2) };
  const inGroup = COMMANDS.filter((c) => c.spec.path.startsWith(`${group} `)).map((c) => c.spec.path);
  if (inGroup.length > 0) {
    const what = name === undefined || name.startsWith('-') ? 'missing' : `unknown: "${name}"`;
    throw new UsageError(`${group} needs a subcommand (${what}); one of: ${inGroup.join(', ')}`);
  }
  throw new UsageError(`unknown command "${group}"; commands: ${COMMANDS.map((c) => c.spec.path).join(', ')}`);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let commandPath: string | undefined;
  try {
    if (argv.length === 0) {
      io.err(mainHelp());
      return EXIT.usage;
    }
    if (['-h', '--help', 'help'].includes(argv[0] as string)) {
      if (argv.length > 1) io.out(helpText(findCommand(argv.slice(1)).command.spec));
      else io.out(mainHelp());
      return EXIT.ok;
    }
    const { command, rest } = findCommand(argv);
    commandPath = command.spec.path;
    const parsed = parseCommand(command.spec, rest);
    if (parsed.help) {
      io.out(helpText(command.spec));
      return EXIT.ok;
    }
    return await command.run(parsed, io);
  } catch (err) {
    return reportFailure(err, io, commandPath);
  }
}

function reportFailure(err: unknown, io: CliIo, commandPath: string | undefined): ExitCode {
  if (err instanceof UsageError) {
    io.err(`error: ${err.message}`);
    const about = err.command ?? commandPath;
    io.err(`see: ${PROGRAM} ${about ? `${about} ` : ''}--help`);
    return err.exitCode;
  }
  if (err instanceof CliError) {
    io.err(`error: ${err.message}`);
    return err.exitCode;
  }
  if ((err as Error)?.name === 'AbortError' || io.signal.aborted) {
    io.err('interrupted');
    return EXIT.failed;
  }
  const e = err as Error;
  io.err(`unexpected error: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`);
  if (io.env.DEBUG) io.err(e?.stack ?? '');
  else io.err('(set DEBUG=1 for the stack trace)');
  return EXIT.failed;
}
