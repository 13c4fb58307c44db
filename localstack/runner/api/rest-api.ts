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

export const STAGE = 'v1';
/** API Gateway's payload limit for REST APIs. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
export const ROUTES: readonly Route[] = [
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
 * size limit (MAX_BODY_BYTES) is enforced before this, while the body is read (api-gateway-twin.ts).
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

const TEXT_TYPES = /^(application\/(json|.*\+json|xml|x-www-form-urlencoded)|text\/)/i;

/** The REST API v1 proxy event for a request that passed the gateway's checks. */
export function proxyEvent(
  req: HttpRequest,
  route: Route,
  params: Record<string, string>,
  accountId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of req.headers) {
    headers[k] = v; // the last value wins, as in API Gateway's single-value map
    multiValueHeaders[k] = [...(multiValueHeaders[k] ?? []), v];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of req.query) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const contentType = header(req, 'content-type') ?? '';
  const isText = req.body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  const requestId = randomUUID();
  return {
    resource: route.resource,
    path: req.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: req.query.size > 0 ? query : null,
    multiValueQueryStringParameters: req.query.size > 0 ? multiQuery : null,
    pathParameters: route.pathParams.length > 0 ? params : null,
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: 'local',
      authorizer: undefined,
      domainName: header(req, 'host') ?? 'localhost',
      domainPrefix: 'localhost',
      extendedRequestId: requestId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: header(req, 'x-api-key') ?? null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: header(req, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${STAGE}${req.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: route.resource,
      resourcePath: route.resource,
      stage: STAGE,
    },
    body: req.body.length === 0 ? null : isText ? req.body.toString('utf8') : req.body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

/** Checks a proxy integration result as API Gateway does; a malformed one is a 502. */
export function integrationResponse(result: unknown): APIGatewayProxyResult {
  const r = result as Partial<APIGatewayProxyResult> | undefined;
  if (!r || typeof r !== 'object' || typeof r.statusCode !== 'number') {
    return gatewayError(502, 'INTERNAL_ERROR', 'Internal server error');
  }
  return {
    statusCode: r.statusCode,
    headers: r.headers ?? {},
    ...(r.multiValueHeaders ? { multiValueHeaders: r.multiValueHeaders } : {}),
    body: typeof r.body === 'string' ? r.body : '',
    ...(r.isBase64Encoded ? { isBase64Encoded: true } : {}),
  };
}
