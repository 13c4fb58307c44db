/**
 * What the deployed REST API (lib/services/orders-api.ts) does before and after the Lambda proxy
 * integration, as pure functions: route matching, request validation against the same derived draft-4
 * model and required parameters, the gateway-generated error responses (same codes and statuses as the
 * API's gateway responses) and the REST API v1 proxy event.
 */
import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createOrderRequestModel } from '../../../lib/api/create-order-model';
import { proxyEventOf } from './proxy-event';

export const STAGE = 'v1';

export interface Route {
  readonly method: string;
  readonly resource: string;
  readonly pattern: RegExp;
  readonly pathParams: readonly string[];
  readonly bodyModel?: 'CreateOrderRequest';
  readonly requiredQuery?: readonly string[];
}

/**
 * The deployed API's methods (lib/services/orders-api.ts): the three validated ones, and ANY on /orders,
 * /orders/{id} and /{proxy+}, so other methods and paths reach the function (which answers 405 or 404).
 * API Gateway prefers an exact method over ANY and a literal resource over a greedy one; order encodes that.
 */
const ROUTES: readonly Route[] = [
  { method: 'POST', resource: '/orders', pattern: /^\/orders$/, pathParams: [], bodyModel: 'CreateOrderRequest' },
  { method: 'GET', resource: '/orders', pattern: /^\/orders$/, pathParams: [], requiredQuery: ['customerId'] },
  { method: 'GET', resource: '/orders/{id}', pattern: /^\/orders\/([^/]+)$/, pathParams: ['id'] },
  { method: 'ANY', resource: '/orders', pattern: /^\/orders$/, pathParams: [] },
  { method: 'ANY', resource: '/orders/{id}', pattern: /^\/orders\/([^/]+)$/, pathParams: ['id'] },
  { method: 'ANY', resource: '/{proxy+}', pattern: /^\/(.+)$/, pathParams: ['proxy'] },
];

export interface HttpRequest {
  readonly method: string;
  /** Path without the stage prefix and without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names as received (API Gateway keeps their case). */
  readonly headers: readonly [string, string][];
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** A response API Gateway produces itself (the function is not invoked), in the API's error shape. */
export function gatewayError(statusCode: number, code: string, message: string): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ error: { code, message } }),
  };
}

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.pathParams.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}

// The deployed model is draft 4; Ajv's default dialect (draft-07) enforces the same keywords the converter
// emits (the converter rejects any it cannot express), so the model is compiled once without its $schema.
const { $schema: _draft4, ...modelBody } = createOrderRequestModel();
const validateCreateOrder = new Ajv({ allErrors: true, strict: false }).compile(modelBody);

const header = (req: HttpRequest, name: string): string | undefined =>
  req.headers.find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * The checks the API's request validator makes; undefined when the request reaches the function. The body
 * size limit (API_GATEWAY_LIMITS.payloadBytes, lib/aws-limits.ts) is enforced before this, while the body is read (api-gateway-twin.ts).
 */
export function validateRequest(req: HttpRequest, route: Route): APIGatewayProxyResult | undefined {
  for (const name of route.requiredQuery ?? []) {
    if (!req.query.has(name)) {
      return gatewayError(400, 'VALIDATION_FAILED', `Missing required request parameters: [${name}]`);
    }
  }
  // API Gateway validates a body only against the model mapped to its content type (application/json here).
  const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (route.bodyModel && contentType === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return gatewayError(400, 'VALIDATION_FAILED', 'Invalid request body');
    }
    if (!validateCreateOrder(body)) {
      // API Gateway's validationErrorString lists each failure; here each names its field by JSON pointer.
      const failures = (validateCreateOrder.errors ?? []).map((e) => {
        const field =
          e.keyword === 'required'
            ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
            : e.keyword === 'additionalProperties'
              ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
              : e.instancePath;
        return `${field || '/'}: ${e.message ?? e.keyword}`;
      });
      return gatewayError(400, 'VALIDATION_FAILED', `[${failures.join(', ')}]`);
    }
  }
  return undefined;
}

/** The REST API v1 proxy event for a request that passed the gateway's checks. */
export function proxyEvent(
  req: HttpRequest,
  route: Route,
  params: Record<string, string>,
  accountId: string,
): APIGatewayProxyEvent {
  return proxyEventOf({
    method: req.method,
    path: req.path,
    resource: route.resource,
    pathParameters: route.pathParams.length > 0 ? params : null,
    headers: req.headers,
    query: [...req.query],
    // The API has no binaryMediaTypes (lib/services/orders-api.ts), so API Gateway passes every body as
    // UTF-8 text, whatever its content type, and never base64-encodes it (non-UTF-8 bytes do not survive):
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
    body: req.body.length === 0 ? null : req.body.toString('utf8'),
    isBase64Encoded: false,
    stage: STAGE,
    requestId: randomUUID(),
    accountId,
    apiId: 'local',
    domainName: header(req, 'host') ?? 'localhost',
    sourceIp: req.sourceIp,
    now: new Date(),
  });
}

/**
 * Checks a proxy integration result as API Gateway does. The documented output format is
 * `{statusCode, headers?: {name: string}, multiValueHeaders?: {name: string[]}, body?: string,
 * isBase64Encoded?: boolean}`; "If the function output is of a different format, API Gateway returns a
 * 502 Bad Gateway error response" (answered with the API's DEFAULT_5XX gateway response):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * https://repost.aws/knowledge-center/malformed-502-api-gateway
 * Nothing is coerced: a number as a header value or an object as the body is a 502, as in AWS.
 */
export function integrationResponse(result: unknown): APIGatewayProxyResult {
  const problem = malformedProxyResult(result);
  if (problem) return gatewayError(502, 'INTERNAL_ERROR', 'Internal server error');
  const r = result as APIGatewayProxyResult;
  return {
    statusCode: r.statusCode,
    headers: r.headers ?? {},
    ...(r.multiValueHeaders ? { multiValueHeaders: r.multiValueHeaders } : {}),
    // Without binaryMediaTypes API Gateway does not decode a base64 body: the text goes out as it is.
    body: r.body ?? '',
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a proxy result is not in the documented format (API Gateway logs "Malformed Lambda proxy response"), or undefined. */
function malformedProxyResult(result: unknown): string | undefined {
  if (!isRecord(result)) return 'not a JSON object';
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result;
  if (!Number.isInteger(statusCode) || (statusCode as number) < 100 || (statusCode as number) > 599) {
    return 'statusCode is not an HTTP status code';
  }
  if (headers != null && (!isRecord(headers) || !Object.values(headers).every((v) => typeof v === 'string'))) {
    return 'headers is not an object of string values';
  }
  if (
    multiValueHeaders != null &&
    (!isRecord(multiValueHeaders) ||
      !Object.values(multiValueHeaders).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string')))
  ) {
    return 'multiValueHeaders is not an object of string arrays';
  }
  if (body != null && typeof body !== 'string') return 'body is not a string';
  if (isBase64Encoded != null && typeof isBase64Encoded !== 'boolean') return 'isBase64Encoded is not a boolean';
  return undefined;
}
