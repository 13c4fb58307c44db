import { captureIo } from '../../test/support/capture-io';
import { COMMANDS, runCli } from './cli';
import { EXIT } from './io';

describe('runCli dispatch', () => {
  it('without arguments prints the overview on stderr and exits 2', async () => {
    const c = captureIo();
    expect(await runCli([], c.io)).toBe(EXIT.usage);
    expect(c.err.join('\n')).toContain('Usage: npm run cli -- <command>');
    for (const cmd of COMMANDS) expect(c.err.join('\n')).toContain(cmd.spec.path);
  });

  it('--help and help print the overview; help <command> prints that command', async () => {
    const a = captureIo();
    expect(await runCli(['--help'], a.io)).toBe(EXIT.ok);
    expect(a.out.join('\n')).toContain('Exit codes: 0 done, 1 failed');
    const b = captureIo();
    expect(await runCli(['help', 'dlq', 'redrive'], b.io)).toBe(EXIT.ok);
    expect(b.out.join('\n')).toContain('Usage: npm run cli -- dlq redrive <queue> [options]');
  });

  it.each(COMMANDS.map((c) => [c.spec.path]))('%s --help documents the command', async (path) => {
    const c = captureIo();
    expect(await runCli([...path.split(' '), '--help'], c.io)).toBe(EXIT.ok);
    expect(c.out.join('\n')).toContain(`Usage: npm run cli -- ${path}`);
    expect(c.out.join('\n')).toContain('-h, --help');
  });

  it('an unknown command lists the commands', async () => {
    const c = captureIo();
    expect(await runCli(['orders', 'place'], c.io)).toBe(EXIT.usage);
    expect(c.err[0]).toBe(`error: unknown command "orders"; commands: ${COMMANDS.map((x) => x.spec.path).join(', ')}`);
  });

  it('a group without a known subcommand lists its subcommands', async () => {
    const c = captureIo();
    expect(await runCli(['dlq'], c.io)).toBe(EXIT.usage);
    expect(c.err[0]).toBe('error: dlq needs a subcommand (missing); one of: dlq list, dlq redrive');
    const d = captureIo();
    expect(await runCli(['topic', 'head'], d.io)).toBe(EXIT.usage);
    expect(d.err[0]).toBe('error: topic needs a subcommand (unknown: "head"); one of: topic tail');
  });

  it('a usage error names the problem and points at the command help, exit 2', async () => {
    const c = captureIo();
    expect(await runCli(['order', 'watch'], c.io)).toBe(EXIT.usage);
    expect(c.err).toEqual([
      'error: missing <orderId>: the id from `order place`',
      'see: npm run cli -- order watch --help',
    ]);
  });

  it('bad option values are usage errors before anything is contacted', async () => {
    const c = captureIo({ ...process.env, ORDER_API_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['order', 'place', '--customer', 'c', '--item', 'SKU-1:1:9.99'], c.io)).toBe(EXIT.usage);
    expect(c.err[0]).toContain('price "9.99" must be an integer amount of minor units');
    const d = captureIo();
    expect(await runCli(['dlq', 'list', '--target', 'gcp'], d.io)).toBe(EXIT.usage);
    expect(d.err[0]).toBe('error: --target must be "local" or "aws", got "gcp"');
    const e = captureIo();
    expect(await runCli(['topic', 'tail', 'orders', '--prefix', 'Bad Prefix'], e.io)).toBe(EXIT.usage);
    expect(e.err[0]).toContain('invalid name prefix "Bad Prefix"');
  });
});
