/**
 * A tiny node:http server that answers like the order API (shapes from functions/order-api: the 202 of
 * POST /orders, GET /orders/{id}, GET /orders?customerId=, and the error body of docs/design.md), for the
 * CLI's order command tests. It records the requests, so the tests also check what the CLI sends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CliRun, runCliCaptured } from './capture-io';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
export type FakeRoute = (req: SeenRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

export interface FakeOrderApi {
  /** Base URL (set once the server listens, in beforeAll). */
  url: string;
  /** What the next requests are answered with. */
  route: FakeRoute;
  /** Requests received since the current test began. */
  readonly seen: SeenRequest[];
  /** Runs the CLI with ORDER_API_URL pointing here. */
  cli(...argv: string[]): Promise<CliRun>;
}

/** Starts the server for the test file (jest hooks) and clears the recorded requests before each test. */
export function useFakeOrderApi(): FakeOrderApi {
  let server: Server;
  const api: FakeOrderApi = {
    url: '',
    route: () => ({ status: 500 }),
    seen: [],
    cli: (...argv) => runCliCaptured(argv, { ...process.env, ORDER_API_URL: api.url }),
  };
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        api.seen.push(request);
        const answer = api.route(request);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    api.seen.length = 0;
  });
  return api;
}

/** A port nothing listens on: one the OS just handed out and that was closed again. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export const accepted = (orderId: string, headers: Record<string, string> = {}) => ({
  status: 202,
  body: { orderId, status: 'PENDING', links: { self: `/orders/${orderId}` } },
  headers: { Location: `/orders/${orderId}`, ...headers },
});

export const order = (status: string, history: unknown[]) => ({
  orderId: 'o-1',
  customerId: 'c-1',
  status,
  currency: 'EUR',
  items: [{ sku: 'SKU-1', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }],
  total: { amount: 100, currency: 'EUR' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history,
  links: { self: '/orders/o-1' },
});
export const step = (eventType: string, s: number) => ({
  eventType,
  at: `2026-01-01T00:00:0${s}.000Z`,
  detail: `${eventType} detail`,
});
export const notFound = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'order nope does not exist' } } };
