/**
 * API Gateway with tracing enabled on the stage passes the request's X-Ray trace header to the
 * integration, adding one when the client sent none, and the Lambda invocation continues that trace
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html). The twin does the
 * same: the order-api invocation's `_X_AMZN_TRACE_ID` is the request's trace, so the order's events
 * carry the trace the client started (or the one the twin started for it).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { newTraceContext, parseXRayHeader, TRACE_HEADER, toXRayHeader } from '../../../functions/shared/trace-context';

export function withTraceHeader(event: APIGatewayProxyEvent): { event: APIGatewayProxyEvent; traceHeader: string } {
  const sent = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === TRACE_HEADER.xray.toLowerCase());
  const context = parseXRayHeader(sent?.[1]) ?? newTraceContext();
  const traceHeader = toXRayHeader(context);
  if (sent?.[1] === traceHeader) return { event, traceHeader };
  const name = sent?.[0] ?? TRACE_HEADER.xray;
  return {
    traceHeader,
    event: {
      ...event,
      headers: { ...event.headers, [name]: traceHeader },
      multiValueHeaders: { ...event.multiValueHeaders, [name]: [traceHeader] },
    },
  };
}
