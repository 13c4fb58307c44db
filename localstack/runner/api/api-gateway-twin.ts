/**
 * The API Gateway twin: an HTTP server that does what the deployed REST API does — route, validate with
 * the same model, build the v1 proxy event, invoke the order-api function, map its result back — so
 * `curl` and the CLI talk to the local pipeline exactly as to the deployed one (see rest-api.ts).
 * Requests may carry the stage prefix (/v1/orders) or not (/orders). With a usage plan (API_KEY, see
 * usage-plan.ts) it also checks `x-api-key` (403) and throttles (429) as the deployed API does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_GATEWAY_LIMITS } from '../../../lib/aws-limits';
import type { FunctionOutcome } from '../esm/types';
import {
  gatewayError,
  type HttpRequest,
  integrationResponse,
  matchRoute,
  proxyEvent,
  STAGE,
  validateRequest,
} from './rest-api';
import { UsagePlan, type UsagePlanSettings } from './usage-plan';

export interface ApiTwinOptions {
  readonly host?: string;
  readonly port?: number;
  readonly accountId: string;
  readonly invoke: (event: APIGatewayProxyEvent) => Promise<FunctionOutcome>;
  /** Key and throttling of the deployed usage plan; absent: keyless and unthrottled (the local default). */
  readonly usagePlan?: UsagePlanSettings;
  /** Clock of the throttling bucket (tests move it by hand). */
  readonly now?: () => number;
  /** Told of every answered request, as API Gateway's Count/Latency/4XXError/5XXError count it (local dashboard). */
  readonly onResponse?: (response: { readonly statusCode: number; readonly latencyMs: number }) => void;
}

/**
 * Bodies of what the usage plan answers, as the deployed API renders them: INVALID_API_KEY and THROTTLED
 * have no gateway response of their own there, so its DEFAULT_4XX template gives them the API's error
 * shape with the response type as code and API Gateway's message ("Forbidden", "Too Many Requests").
 */
const KEY_REJECTIONS = {
  INVALID_API_KEY: { status: 403, message: 'Forbidden' },
  THROTTLED: { status: 429, message: 'Too Many Requests' },
} as const;

export interface ApiTwin {
  readonly url: string;
  close(): Promise<void>;
}

export async function startApiTwin(options: ApiTwinOptions): Promise<ApiTwin> {
  const plan = options.usagePlan ? new UsagePlan(options.usagePlan, options.now) : undefined;
  const server: Server = createServer((req, res) => {
    const started = performance.now();
    handle(req, options, plan)
      .catch(() => gatewayError(500, 'INTERNAL_ERROR', 'Internal server error'))
      .then((result) => {
        send(res, result);
        options.onResponse?.({ statusCode: result.statusCode, latencyMs: performance.now() - started });
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`API twin: port ${options.port} on ${host} is already in use (set API_PORT)`)
          : err,
      ),
    );
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  options: ApiTwinOptions,
  plan: UsagePlan | undefined,
): Promise<APIGatewayProxyResult> {
  const url = new URL(req.url ?? '/', 'http://local');
  const path = url.pathname.startsWith(`/${STAGE}/`) ? url.pathname.slice(STAGE.length + 1) : url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  if (body === 'too-large') return gatewayError(413, 'PAYLOAD_TOO_LARGE', 'Request Too Long');
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  const request: HttpRequest = {
    method,
    path,
    query: url.searchParams,
    headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  };

  const matched = matchRoute(method, path);
  // Only the root has no method: API Gateway's MISSING_AUTHENTICATION_TOKEN, mapped to 404 by the API.
  if (!matched) return gatewayError(404, 'NOT_FOUND', `no resource at ${method} ${path}`);
  // Every method requires the key (apiKeyRequired); API Gateway checks it and throttles before validating.
  const keyCheck = plan?.check(req.headers['x-api-key'] as string | undefined) ?? 'pass';
  if (keyCheck !== 'pass') {
    const { status, message } = KEY_REJECTIONS[keyCheck];
    return gatewayError(status, keyCheck, message);
  }
  const rejected = validateRequest(request, matched.route);
  if (rejected) return rejected;
  const outcome = await options.invoke(proxyEvent(request, matched.route, matched.params, options.accountId));
  // A function error or timeout is a 502 from the integration, answered with the DEFAULT_5XX response.
  if (!outcome.ok) return gatewayError(502, 'INTERNAL_ERROR', 'Internal server error');
  return integrationResponse(outcome.payload);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= API_GATEWAY_LIMITS.payloadBytes) chunks.push(c);
    });
    req.on('end', () => resolve(size > API_GATEWAY_LIMITS.payloadBytes ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  headers['x-amzn-requestid'] ??= cryptoId();
  const body = Buffer.from(result.body ?? '', 'utf8');
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

const cryptoId = () => globalThis.crypto.randomUUID();
