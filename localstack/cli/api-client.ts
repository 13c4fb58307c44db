/**
 * The order API over HTTP (fetch): the same requests any client sends, to the local API twin or a
 * deployed stage. Answers are returned as status + parsed JSON; the API's error contract
 * ({"error": {code, message, fields?}}, docs/design.md) is recognised so commands can print it.
 */
import { type OptionSpec, type ParsedCommand, stringOpt } from './args';
import { apiKeyValue, awsClients, DEFAULT_DEPLOYMENT_PREFIX, describeDeployment } from './aws-deployment';
import { CliError, EXIT, UsageError } from './io';
import { PREFIX_ENV, TARGET_ENV, TARGET_OPTIONS } from './target';

export const API_ENV = 'ORDER_API_URL';
/** The usage plan's key, sent as `x-api-key` (the deployed API requires it; the local twin when API_KEY is set). */
const API_KEY_ENV = 'ORDER_API_KEY';
const DEFAULT_API = 'http://127.0.0.1:3000';

export const API_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  api: {
    type: 'string',
    value: 'URL',
    description: `order API base URL incl. any stage path (env ${API_ENV}; default ${DEFAULT_API}, or with --target aws the deployment's ApiUrl output)`,
  },
  'api-key': {
    type: 'string',
    value: 'KEY',
    description: `API key sent as x-api-key (env ${API_KEY_ENV}; default none: the local API needs none; with --target aws the deployment's key)`,
  },
  ...TARGET_OPTIONS,
};

/** Where to send requests, and the API key the deployed API requires (header x-api-key). */
export interface ApiEndpoint {
  readonly base: string;
  readonly apiKey?: string;
}

/**
 * --api / ORDER_API_URL when given; else, with --target aws, the deployed stage: the Services stack's
 * ApiUrl output and the value of its ApiKeyId output's key (GetApiKey); else the local API twin.
 */
export async function apiEndpoint(parsed: ParsedCommand, env: NodeJS.ProcessEnv): Promise<ApiEndpoint> {
  const explicit = stringOpt(parsed, 'api') ?? env[API_ENV];
  const apiKey = stringOpt(parsed, 'api-key') ?? env[API_KEY_ENV];
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError(`--api-key / ${API_KEY_ENV} is empty`);
  const target = stringOpt(parsed, 'target') ?? env[TARGET_ENV] ?? 'local';
  if (target !== 'local' && target !== 'aws')
    throw new UsageError(`--target must be "local" or "aws", got "${target}"`);
  if (explicit !== undefined || target === 'local')
    return { base: apiBase(parsed, env), ...(apiKey ? { apiKey } : {}) };
  const { cfn, apigw } = awsClients(env.AWS_REGION ?? env.AWS_DEFAULT_REGION);
  try {
    const deployment = await describeDeployment(
      cfn,
      stringOpt(parsed, 'prefix') ?? env[PREFIX_ENV] ?? DEFAULT_DEPLOYMENT_PREFIX,
    );
    return { base: checkedBase(deployment.apiUrl), apiKey: apiKey ?? (await apiKeyValue(apigw, deployment.apiKeyId)) };
  } finally {
    cfn.destroy();
    apigw.destroy();
  }
}

/** The base URL without a trailing slash; a stage path (`https://…/prod`) is kept. */
function apiBase(parsed: ParsedCommand, env: NodeJS.ProcessEnv): string {
  return checkedBase(stringOpt(parsed, 'api') ?? env[API_ENV] ?? DEFAULT_API);
}

function checkedBase(raw: string): string {
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
  endpoint: ApiEndpoint,
  request: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> },
  signal?: AbortSignal,
): Promise<ApiResponse> {
  const { base } = endpoint;
  const url = `${base}${request.path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(endpoint.apiKey !== undefined ? { 'x-api-key': endpoint.apiKey } : {}),
        ...request.headers,
      },
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
