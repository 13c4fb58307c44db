/**
 * The REST API (v1) Lambda proxy integration input ("payload format 1.0"), built in one place: the API
 * twin (rest-api.ts) sends it to the function, and the tests' event builder (test/support/aws-events.ts)
 * gives the unit tests the same shape. Input format:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

type Pairs = readonly (readonly [string, string])[];

export interface ProxyEventInput {
  readonly method: string;
  /** The request path without the stage (what `event.path` holds). */
  readonly path: string;
  /** The API resource that matched, e.g. `/orders/{id}`. */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
  /** Headers in the order received (names keep their case); a name may repeat. */
  readonly headers: Pairs;
  /** Query string parameters in order; a name may repeat. */
  readonly query: Pairs;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly stage: string;
  readonly requestId: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly sourceIp: string;
  readonly now: Date;
}

/**
 * API Gateway's two maps of a repeated name: the single-value map keeps the last value, the multi-value
 * map all of them, in order. Both are null when there is nothing (as for a request without a query).
 */
function singleAndMultiValue(pairs: Pairs): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  if (pairs.length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
}

const headerOf = (pairs: Pairs, name: string): string | undefined =>
  pairs.findLast(([k]) => k.toLowerCase() === name)?.[1];

export function proxyEventOf(input: ProxyEventInput): APIGatewayProxyEvent {
  const headers = singleAndMultiValue(input.headers);
  const query = singleAndMultiValue(input.query);
  return {
    resource: input.resource,
    path: input.path,
    httpMethod: input.method,
    headers: headers.single ?? {},
    multiValueHeaders: headers.multi ?? {},
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: input.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      authorizer: undefined,
      domainName: input.domainName,
      domainPrefix: input.domainName.split('.')[0] ?? input.domainName,
      extendedRequestId: input.requestId,
      httpMethod: input.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: headerOf(input.headers, 'x-api-key') ?? null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: input.sourceIp,
        user: null,
        userAgent: headerOf(input.headers, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${input.stage}${input.path}`,
      protocol: 'HTTP/1.1',
      requestId: input.requestId,
      requestTime: input.now.toUTCString(),
      requestTimeEpoch: input.now.getTime(),
      resourceId: input.resource,
      resourcePath: input.resource,
      stage: input.stage,
    },
    body: input.body,
    isBase64Encoded: input.isBase64Encoded,
  };
}
