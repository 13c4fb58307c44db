/** `order place | get | list | watch`: the order API as any client uses it (see api-client.ts). */
import { readFileSync } from 'node:fs';
import { FINAL_STATUSES } from '../../../functions/order-view/status';
import { API_OPTIONS, type ApiResponse, apiEndpoint, apiErrorOf, callApi } from '../api-client';
import {
  boolOpt,
  type Command,
  integerValue,
  listOpt,
  type ParsedCommand,
  PROGRAM,
  parseItem,
  secondsValue,
  stringOpt,
} from '../args';
import { formatApiError, formatOrder, formatPlaced, formatStep, formatSummaryRow, stepKey } from '../format';
import { CliError, type CliIo, EXIT, type ExitCode, pause, UsageError } from '../io';

const JSON_OPTION = { json: { type: 'boolean', description: 'print the API response body as JSON' } } as const;

/** Prints the API's error (code, message, every field) and gives the failure exit code. */
function apiFailure(res: ApiResponse, io: CliIo, json: boolean): ExitCode {
  if (json && res.body !== undefined) io.out(JSON.stringify(res.body));
  else for (const line of formatApiError(res.status, apiErrorOf(res.body), res.text)) io.err(line);
  return EXIT.failed;
}

export const orderPlace: Command = {
  spec: {
    path: 'order place',
    summary:
      'Places an order (POST /orders) and prints the 202 answer (order id, Location) or the API error with its fields.',
    positionals: [],
    options: {
      customer: { type: 'string', value: 'ID', description: 'customer id' },
      item: {
        type: 'string',
        multiple: true,
        value: 'SKU:QTY:PRICE',
        description: 'order line; PRICE in minor units (1999 = 19.99)',
      },
      currency: { type: 'string', value: 'CODE', description: 'ISO 4217 currency of the prices (default EUR)' },
      file: {
        type: 'string',
        value: 'PATH',
        description: "the request body as a JSON file ('-' = stdin) instead of the flags above",
      },
      'idempotency-key': {
        type: 'string',
        value: 'KEY',
        description: 'Idempotency-Key header: a repeat returns the same order',
      },
      'correlation-id': {
        type: 'string',
        value: 'ID',
        description: 'X-Correlation-Id header (default: the API request id)',
      },
      ...JSON_OPTION,
      ...API_OPTIONS,
    },
    notes: ['Catalog SKUs: functions/inventory/catalog.json (SKU-SOLDOUT is never in stock; SKU-LIMITED has one).'],
    examples: [
      'order place --customer c-42 --item SKU-BULK-001:2:1999 --item SKU-BULK-002:1:500',
      'order place --file order.json --idempotency-key 7d2f0c1e-checkout-1',
    ],
  },
  run: async (parsed, io) => {
    const base = await apiEndpoint(parsed, io.env);
    const body = requestBody(parsed);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = stringOpt(parsed, 'idempotency-key');
    if (key !== undefined) headers['Idempotency-Key'] = key;
    const correlation = stringOpt(parsed, 'correlation-id');
    if (correlation !== undefined) headers['X-Correlation-Id'] = correlation;
    const res = await callApi(base, { method: 'POST', path: '/orders', body, headers }, io.signal);
    const json = boolOpt(parsed, 'json');
    if (res.status !== 202) return apiFailure(res, io, json);
    if (json) io.out(JSON.stringify(res.body));
    else {
      const replayed = res.headers.get('idempotent-replayed') === 'true';
      for (const line of formatPlaced(res.body, res.headers.get('location'), replayed)) io.out(line);
      const orderId = (res.body as { orderId?: unknown } | undefined)?.orderId;
      if (typeof orderId === 'string') io.err(`follow it: ${PROGRAM} order watch ${orderId}`);
    }
    return EXIT.ok;
  },
};

function requestBody(parsed: ParsedCommand): string {
  const file = stringOpt(parsed, 'file');
  const flags = ['customer', 'item', 'currency'].filter((f) => parsed.values[f] !== undefined);
  if (file !== undefined) {
    if (flags.length > 0) {
      throw new UsageError(`--file cannot be combined with ${flags.map((f) => `--${f}`).join(', ')}`, 'order place');
    }
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --file ${file}: ${(err as Error).message}`, 'order place');
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--file ${file} is not valid JSON: ${(err as Error).message}`, 'order place');
    }
    return text;
  }
  const customerId = stringOpt(parsed, 'customer');
  const items = listOpt(parsed, 'item').map(parseItem);
  if (customerId === undefined) throw new UsageError('--customer is required (or give --file)', 'order place');
  if (items.length === 0)
    throw new UsageError('at least one --item SKU:QTY:PRICE is required (or give --file)', 'order place');
  return JSON.stringify({ customerId, currency: stringOpt(parsed, 'currency') ?? 'EUR', items });
}

const ORDER_ID_ARG = { name: 'orderId', required: true, description: 'the id from `order place`' };

export const orderGet: Command = {
  spec: {
    path: 'order get',
    summary: 'Shows an order (GET /orders/{id}): status, lines, total and history.',
    positionals: [ORDER_ID_ARG],
    options: { ...JSON_OPTION, ...API_OPTIONS },
  },
  run: async (parsed, io) => {
    const id = parsed.positionals[0] as string;
    const res = await callApi(
      await apiEndpoint(parsed, io.env),
      { method: 'GET', path: `/orders/${encodeURIComponent(id)}` },
      io.signal,
    );
    const json = boolOpt(parsed, 'json');
    if (res.status !== 200) return apiFailure(res, io, json);
    if (json) io.out(JSON.stringify(res.body));
    else for (const line of formatOrder(res.body)) io.out(line);
    return EXIT.ok;
  },
};

export const orderList: Command = {
  spec: {
    path: 'order list',
    summary: "Lists a customer's orders, newest first (GET /orders?customerId=).",
    positionals: [],
    options: {
      customer: { type: 'string', value: 'ID', description: 'customer id (required)' },
      limit: { type: 'string', value: 'N', description: 'page size, 1-100 (API default 20)' },
      cursor: { type: 'string', value: 'CURSOR', description: 'the next page, as printed after a full page' },
      ...JSON_OPTION,
      ...API_OPTIONS,
    },
    examples: ['order list --customer c-42'],
  },
  run: async (parsed, io) => {
    const customer = stringOpt(parsed, 'customer');
    if (customer === undefined) throw new UsageError('--customer is required', 'order list');
    const params = new URLSearchParams({ customerId: customer });
    const limit = stringOpt(parsed, 'limit');
    if (limit !== undefined) params.set('limit', String(integerValue(limit, '--limit', 1, 100)));
    const cursor = stringOpt(parsed, 'cursor');
    if (cursor !== undefined) params.set('cursor', cursor);
    const res = await callApi(
      await apiEndpoint(parsed, io.env),
      { method: 'GET', path: `/orders?${params}` },
      io.signal,
    );
    const json = boolOpt(parsed, 'json');
    if (res.status !== 200) return apiFailure(res, io, json);
    if (json) {
      io.out(JSON.stringify(res.body));
      return EXIT.ok;
    }
    const page = (res.body ?? {}) as { orders?: unknown[]; nextCursor?: string };
    const orders = page.orders ?? [];
    if (orders.length === 0) io.out(`no orders for customer ${customer}${cursor ? ' on this page' : ''}`);
    for (const o of orders) io.out(formatSummaryRow(o));
    if (page.nextCursor) io.err(`more: ${PROGRAM} order list --customer ${customer} --cursor ${page.nextCursor}`);
    return EXIT.ok;
  },
};

export const orderWatch: Command = {
  spec: {
    path: 'order watch',
    summary:
      `Polls an order and prints each history step as it appears and every status change, until a final status ` +
      `(${FINAL_STATUSES.join(', ')}: exit 0) or --timeout (exit 1).`,
    positionals: [ORDER_ID_ARG],
    options: {
      timeout: { type: 'string', value: 'SECONDS', description: 'give up after this long (default 60)' },
      interval: { type: 'string', value: 'SECONDS', description: 'time between polls (default 0.5)' },
      json: { type: 'boolean', description: 'one JSON line per new step ({"step":…}) and status ({"status":…})' },
      ...API_OPTIONS,
    },
    examples: ['order watch 01JXYZ... --timeout 30'],
  },
  run: async (parsed, io) => {
    const id = parsed.positionals[0] as string;
    const base = await apiEndpoint(parsed, io.env);
    const timeoutMs = secondsValue(stringOpt(parsed, 'timeout') ?? '60', '--timeout') * 1000;
    const intervalMs = secondsValue(stringOpt(parsed, 'interval') ?? '0.5', '--interval', 60) * 1000;
    const json = boolOpt(parsed, 'json');
    const started = Date.now();
    const seen = new Set<string>();
    let status: string | undefined;
    let lastProblem: string | undefined;
    for (;;) {
      const res = await callApi(base, { method: 'GET', path: `/orders/${encodeURIComponent(id)}` }, io.signal).catch(
        (err: unknown) => {
          if (err instanceof CliError) return err; // API unreachable: may be a restart, keep trying until timeout
          throw err;
        },
      );
      if (res instanceof CliError || res.status >= 500) {
        const problem =
          res instanceof CliError ? res.message : formatApiError(res.status, apiErrorOf(res.body), res.text)[0];
        if (problem !== lastProblem) io.err(`poll failed, retrying: ${problem}`);
        lastProblem = problem;
      } else if (res.status !== 200) {
        return apiFailure(res, io, false);
      } else {
        lastProblem = undefined;
        const order = (res.body ?? {}) as { status?: string; history?: unknown[] };
        for (const step of order.history ?? []) {
          const key = stepKey(step);
          if (seen.has(key)) continue;
          seen.add(key);
          io.out(json ? JSON.stringify({ step }) : formatStep(step));
        }
        if (order.status !== status) {
          status = order.status;
          io.out(json ? JSON.stringify({ status }) : `status ${status ?? '?'}`);
        }
        if (FINAL_STATUSES.some((s) => s === status)) {
          io.err(`final status ${status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
          return EXIT.ok;
        }
      }
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) {
        io.err(
          `timed out after ${timeoutMs / 1000} s; status ${status ?? 'unknown'} is not final (${FINAL_STATUSES.join(', ')})`,
        );
        return EXIT.failed;
      }
      if (!(await pause(Math.min(intervalMs, left), io.signal))) {
        io.err(`interrupted; status ${status ?? 'unknown'}`);
        return EXIT.failed;
      }
    }
  },
};
