/**
 * HTTP plumbing for the REST API (v1 proxy integration): JSON responses, the error contract of
 * docs/design.md ({"error": {code, message, fields?}}), and case-insensitive header lookup.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'IDEMPOTENCY_KEY_REUSED'
  /** 409: a request with the same Idempotency-Key is still being processed; retry after a moment. */
  | 'IDEMPOTENCY_REQUEST_IN_PROGRESS'
  /** 503: the invocation had too little time left to start the request; retry with the same Idempotency-Key. */
  | 'TRY_AGAIN'
  | 'INTERNAL_ERROR';

export interface FieldError {
  /** JSON pointer into the body ("/items/0/quantity", "" for the body itself), or `header:<Name>` / `query:<name>`. */
  readonly path: string;
  readonly message: string;
}

/** An expected failure with its HTTP answer; anything else thrown is a 500. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: readonly FieldError[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const validationFailed = (message: string, fields: readonly FieldError[]): ApiError =>
  new ApiError(400, 'VALIDATION_FAILED', message, fields);

const BASE_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(err: ApiError): APIGatewayProxyResult {
  const error = { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) };
  return jsonResponse(err.statusCode, { error }, err.headers);
}

/**
 * A request header, case-insensitively (HTTP/2 clients send lower case, others any case). With
 * repeated headers the single-value map holds the last one; that is what is used.
 */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) {
    if (k.toLowerCase() === wanted && v !== undefined) return v;
  }
  return undefined;
}

/**
 * The path prefix the client used in front of the API's own paths: `/prod` on an execute-api URL,
 * a base path on a custom domain, nothing on a local twin. requestContext.path is what the client
 * requested; event.path is the path within the API.
 */
export function basePath(event: APIGatewayProxyEvent): string {
  const full = event.requestContext?.path;
  if (!full || !event.path || !full.endsWith(event.path)) return '';
  return full.slice(0, full.length - event.path.length);
}
