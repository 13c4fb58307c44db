/**
 * The order API over HTTP (fetch): the same requests any client sends, to the local API twin or a
 * deployed stage. Answers are returned as status + parsed JSON; the API's error contract
 * ({"error": {code, message, fields?}}, docs/design.md) is recognised so commands can print it.
 */
import { type OptionSpec, type ParsedCommand, stringOpt } from './args';
import { CliError, EXIT, UsageError } from './io';

export const API_ENV = 'ORDER_API_URL';
/** The usage plan's key, sent as `x-api-key` (the deployed API requires it; the local twin when API_KEY is set). */
export const API_KEY_ENV = 'ORDER_API_KEY';
export const DEFAULT_API = 'http://127.0.0.1:3000';

export const API_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  api: {
    type: 'string',
    value: 'URL',
    description: `order API base URL incl. any stage path (env ${API_ENV}; default ${DEFAULT_API})`,
  },
  'api-key': {
    type: 'string',
    value: 'KEY',
    description: `API key sent as x-api-key (env ${API_KEY_ENV}; default none: the local API needs none)`,
  },
};

/** Where the order API is: its base URL and the key to send, if any. */
export interface ApiEndpoint {
  readonly url: string;
  readonly apiKey?: string;
}

/** The base URL without a trailing slash (a stage path `https://…/prod` is kept) and the API key. */
export function apiBase(parsed: ParsedCommand, env: NodeJS.ProcessEnv): ApiEndpoint {
  const apiKey = stringOpt(parsed, 'api-key') ?? env[API_KEY_ENV];
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError(`--api-key / ${API_KEY_ENV} is empty`);
  return { url: apiUrl(parsed, env), ...(apiKey ? { apiKey } : {}) };
}

function apiUrl(parsed: ParsedCommand, env: NodeJS.ProcessEnv): string {
  const raw = stringOpt(parsed, 'api') ?? env[API_ENV] ?? DEFAULT_API;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api "${raw}" is not a URL; expected e.g. ${DEFAULT_API}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api "${raw}" must be an http(s) URL`);
  }
  if (url.search || url.hash) throw new UsageError(`--api "${raw}" must not have a query string or fragment`);
  return url.toString().replace(/\/+$/, '');
}

export interface ApiFieldError {
  readonly path: string;
  readonly message: string;
}

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly ApiFieldError[];
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined when the body was empty or not JSON (see `text`). */
  readonly body: unknown;
  readonly text: string;
}

export async function callApi(
  api: ApiEndpoint,
  request: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> },
  signal?: AbortSignal,
): Promise<ApiResponse> {
  const base = api.url;
  const url = `${base}${request.path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method,
      headers: { accept: 'application/json', ...(api.apiKey ? { 'x-api-key': api.apiKey } : {}), ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(
      `cannot reach the order API at ${base} (${why}): is \`npm start\` running? ` +
        `Use --api or ${API_ENV} for another URL.`,
      EXIT.unavailable,
    );
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The API's error body, when the response carries one in the documented shape. */
export function apiErrorOf(body: unknown): ApiErrorBody | undefined {
  const e = (body as { error?: unknown } | undefined)?.error as Partial<ApiErrorBody> | undefined;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return undefined;
  const fields = Array.isArray(e.fields)
    ? e.fields.filter((f): f is ApiFieldError => typeof f?.path === 'string' && typeof f?.message === 'string')
    : undefined;
  return { code: e.code, message: e.message, ...(fields ? { fields } : {}) };
}
