/**
 * Command-line parsing on node:util parseArgs: each command declares its positionals and options once, and
 * the same declaration drives parsing, the clear usage errors and the --help text. Value parsers turn raw
 * strings into checked values (integers in range, order lines) and name the option in every error.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, type ExitCode, UsageError } from './io';

export const PROGRAM = 'npm run cli --';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder shown in help for string options, e.g. `SKU:QTY:PRICE`. */
  readonly value?: string;
  readonly description: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

export interface CommandSpec {
  /** Words that select the command, e.g. `order place`. */
  readonly path: string;
  readonly summary: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly notes?: readonly string[];
  readonly examples?: readonly string[];
}

export type OptionValue = string | boolean | string[] | undefined;

export interface ParsedCommand {
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  let parsed: { values: Record<string, OptionValue>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    throw new UsageError(parseErrorText(err), spec.path);
  }
  const help = parsed.values.help === true;
  if (!help) {
    const missing = spec.positionals.slice(parsed.positionals.length).find((p) => p.required);
    if (missing) throw new UsageError(`missing <${missing.name}>: ${missing.description}`, spec.path);
    const extra = parsed.positionals[spec.positionals.length];
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, spec.path);
  }
  return { values: parsed.values, positionals: parsed.positionals, help };
}

/** parseArgs' messages are long and mention JS details; keep the part a user acts on. */
function parseErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(e.message ?? '')
        ? `option ${option} takes no value`
        : `option ${option} needs a value`;
    default:
      return e.message ?? String(err);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Typed access to parsed values

export const stringOpt = (p: ParsedCommand, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
};
export const boolOpt = (p: ParsedCommand, name: string): boolean => p.values[name] === true;
export const listOpt = (p: ParsedCommand, name: string): string[] => {
  const v = p.values[name];
  return Array.isArray(v) ? v : [];
};

export function integerValue(raw: string, option: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${option} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`${option} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Seconds, fractions allowed (`--timeout 1.5`), strictly positive. */
export function secondsValue(raw: string, option: string, max = 24 * 60 * 60): number {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(n > 0 && n <= max)) throw new UsageError(`${option} must be a number of seconds in (0, ${max}], got "${raw}"`);
  return n;
}

export interface OrderLineInput {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/**
 * `--item SKU:QTY:PRICE`, PRICE in integer minor units (1999 = 19.99). Only the form is checked here; the
 * API validates the values (and names the field) as it would for any client.
 */
export function parseItem(raw: string): OrderLineInput {
  const parts = raw.split(':');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) {
    throw new UsageError(`--item "${raw}" must be SKU:QTY:PRICE, e.g. SKU-KEYBOARD:2:4999`);
  }
  const [sku, qty, price] = parts.map((p) => p.trim()) as [string, string, string];
  if (!/^\d+$/.test(qty)) throw new UsageError(`--item "${raw}": quantity "${qty}" must be a whole number`);
  if (!/^\d+$/.test(price)) {
    throw new UsageError(
      `--item "${raw}": price "${price}" must be an integer amount of minor units (e.g. 1999 for 19.99)`,
    );
  }
  return { sku, quantity: Number(qty), unitPrice: Number(price) };
}

// ---------------------------------------------------------------------------------------------------------------
// Help

export function helpText(spec: CommandSpec): string {
  const positional = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ');
  const lines = [`Usage: ${PROGRAM} ${spec.path}${positional ? ` ${positional}` : ''} [options]`, '', spec.summary];
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    for (const p of spec.positionals) lines.push(row(p.required ? `<${p.name}>` : `[${p.name}]`, p.description));
  }
  lines.push('', 'Options:');
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`;
    lines.push(row(flag, `${o.description}${o.multiple ? ' (repeatable)' : ''}`));
  }
  if (spec.notes?.length) lines.push('', ...spec.notes);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${PROGRAM} ${e}`));
  return lines.join('\n');
}

const row = (left: string, right: string) => `  ${left.padEnd(30)} ${right}`;

/** A command: its declaration and what it does with the parsed line. */
export interface Command {
  readonly spec: CommandSpec;
  readonly run: (parsed: ParsedCommand, io: CliIo) => Promise<ExitCode>;
}
