/**
 * The errors API Gateway answers itself, in the API's error shape {"error": {"code", "message"}}.
 *
 * Gateway response templates are not VTL: "A GatewayResponse mapping template isn't processed by the
 * Velocity Template Language (VTL) engine", only simple variable substitution, so `$util.escapeJavaScript`
 * is not available and every substituted value lands in the body as it is.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseTemplates.html
 * A template is therefore valid JSON for every request only if each variable in it is either JSON-quoted
 * by API Gateway ($context.error.messageString, "the quoted value of $context.error.message", which AWS's own
 * example uses as a JSON value) or takes only values that need no escaping ($context.error.responseType).
 * Never `$context.error.validationErrorString` (unescaped; the validator's messages contain double quotes)
 * or `$context.path` (the caller chooses it). test/cdk/services/gateway-responses.test.ts renders every template
 * with hostile values and parses it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-data-models.html
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';

export interface GatewayErrorSpec {
  readonly type: apigw.ResponseType;
  readonly status?: string;
  readonly code: string;
  /** A JSON value: a quoted literal or $context.error.messageString. */
  readonly message: string;
}

export const GATEWAY_ERRORS: readonly GatewayErrorSpec[] = [
  // Not validationErrorString: see the file comment. The body's faults are not itemised on AWS.
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    status: '400',
    code: 'VALIDATION_FAILED',
    message: '$context.error.messageString',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    status: '400',
    code: 'VALIDATION_FAILED',
    message: '$context.error.messageString',
  },
  // What still reaches API Gateway's "Missing Authentication Token" (403) is a path no method covers (/): a 404 here.
  {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: '404',
    code: 'NOT_FOUND',
    message: '"no resource at this path"',
  },
  {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    status: '413',
    code: 'PAYLOAD_TOO_LARGE',
    message: '$context.error.messageString',
  },
  {
    type: apigw.ResponseType.DEFAULT_4XX,
    code: '$context.error.responseType',
    message: '$context.error.messageString',
  },
  { type: apigw.ResponseType.DEFAULT_5XX, code: 'INTERNAL_ERROR', message: '$context.error.messageString' },
];

/** The application/json template of one gateway error. */
export function gatewayErrorTemplate(spec: GatewayErrorSpec): string {
  return `{"error":{"code":"${spec.code}","message":${spec.message}}}`;
}

export function addGatewayErrors(api: apigw.RestApi): void {
  for (const e of GATEWAY_ERRORS) {
    api.addGatewayResponse(`Error${e.type.responseType}`, {
      type: e.type,
      ...(e.status ? { statusCode: e.status } : {}),
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: { 'application/json': gatewayErrorTemplate(e) },
    });
  }
}
