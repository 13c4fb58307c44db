import { type CommandSpec, helpText, integerValue, parseCommand, parseItem, secondsValue } from './args';
import { EXIT, UsageError } from './io';

const spec: CommandSpec = {
  path: 'thing do',
  summary: 'Does the thing.',
  positionals: [
    { name: 'id', required: true, description: 'which thing' },
    { name: 'extra', required: false, description: 'optional extra' },
  ],
  options: {
    name: { type: 'string', value: 'NAME', description: 'a name' },
    tag: { type: 'string', multiple: true, value: 'TAG', description: 'a tag' },
    json: { type: 'boolean', description: 'JSON output' },
  },
  notes: ['A note.'],
  examples: ['thing do 1 --name x'],
};

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommand', () => {
  it('parses positionals, string, repeated and boolean options', () => {
    const p = parseCommand(spec, ['42', '--name', 'n', '--tag', 'a', '--tag', 'b', '--json']);
    expect(p.positionals).toEqual(['42']);
    expect(p.values).toMatchObject({ name: 'n', tag: ['a', 'b'], json: true });
    expect(p.help).toBe(false);
  });

  it('accepts --name=value and options before positionals', () => {
    expect(parseCommand(spec, ['--name=x', '42', 'more']).positionals).toEqual(['42', 'more']);
  });

  it('names a missing required argument', () => {
    const err = usageError(() => parseCommand(spec, ['--json']));
    expect(err.message).toBe('missing <id>: which thing');
    expect(err.command).toBe('thing do');
    expect(err.exitCode).toBe(EXIT.usage);
  });

  it('rejects an extra argument', () => {
    expect(usageError(() => parseCommand(spec, ['1', '2', '3'])).message).toBe('unexpected argument "3"');
  });

  it('names an unknown option without parseArgs internals', () => {
    expect(usageError(() => parseCommand(spec, ['1', '--nmae', 'x'])).message).toBe('unknown option --nmae');
  });

  it('says when a string option lacks its value and when a flag is given one', () => {
    expect(usageError(() => parseCommand(spec, ['1', '--name'])).message).toBe('option --name needs a value');
    expect(usageError(() => parseCommand(spec, ['1', '--json=yes'])).message).toBe('option --json takes no value');
  });

  it('--help skips the argument checks', () => {
    expect(parseCommand(spec, ['--help']).help).toBe(true);
    expect(parseCommand(spec, ['-h']).help).toBe(true);
  });
});

describe('parseItem', () => {
  it('reads SKU:QTY:PRICE with the price in minor units', () => {
    expect(parseItem('SKU-KEYBOARD:2:4999')).toEqual({ sku: 'SKU-KEYBOARD', quantity: 2, unitPrice: 4999 });
    expect(parseItem(' SKU-1 : 1 : 0 ')).toEqual({ sku: 'SKU-1', quantity: 1, unitPrice: 0 });
  });

  it.each([
    ['SKU-1:2', 'must be SKU:QTY:PRICE'],
    ['SKU-1:2:3:4', 'must be SKU:QTY:PRICE'],
    [':2:3', 'must be SKU:QTY:PRICE'],
    ['SKU-1:two:3', 'quantity "two" must be a whole number'],
    ['SKU-1:-1:3', 'quantity "-1" must be a whole number'],
    ['SKU-1:1:19.99', 'price "19.99" must be an integer amount of minor units (e.g. 1999 for 19.99)'],
  ])('rejects %s', (raw, message) => {
    expect(usageError(() => parseItem(raw)).message).toContain(message);
  });
});

describe('value parsers', () => {
  it('integerValue checks form and range and names the option', () => {
    expect(integerValue('10', '--max', 1, 100)).toBe(10);
    expect(usageError(() => integerValue('1.5', '--max', 1, 100)).message).toBe('--max must be an integer, got "1.5"');
    expect(usageError(() => integerValue('0', '--max', 1, 100)).message).toBe('--max must be between 1 and 100, got 0');
  });

  it('secondsValue takes positive seconds, fractions allowed', () => {
    expect(secondsValue('1.5', '--timeout')).toBe(1.5);
    expect(usageError(() => secondsValue('0', '--timeout')).message).toContain('--timeout must be a number of seconds');
    expect(usageError(() => secondsValue('5m', '--timeout')).message).toContain('got "5m"');
    expect(() => secondsValue('61', '--interval', 60)).toThrow('(0, 60]');
  });
});

describe('helpText', () => {
  it('lists usage, arguments, every option with its placeholder, notes and examples', () => {
    const text = helpText(spec);
    expect(text).toContain('Usage: npm run cli -- thing do <id> [extra] [options]');
    expect(text).toContain('Does the thing.');
    expect(text).toMatch(/<id>\s+which thing/);
    expect(text).toMatch(/--name <NAME>\s+a name/);
    expect(text).toMatch(/--tag <TAG>\s+a tag \(repeatable\)/);
    expect(text).toMatch(/--json\s+JSON output/);
    expect(text).toMatch(/-h, --help\s+show this help/);
    expect(text).toContain('A note.');
    expect(text).toContain('  npm run cli -- thing do 1 --name x');
  });
});
