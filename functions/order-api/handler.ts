/**
 * order-api (API Gateway REST API, Lambda proxy integration): POST /orders, GET /orders/{id},
 * GET /orders?customerId=. Routes the request (routes.ts) to its operation (operations.ts) and turns
 * failures into the JSON error body: expected ones with their code, anything else as a 500 that hides
 * internals and is logged with the request id. Every log line carries the correlation id.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadConfig } from '../shared/config';
import { type KeyedLogger, keyedLogger, logger, metrics } from '../shared/observability';
import { annotateHop, tracedHandler } from '../shared/tracing';
import { createOrder } from './create-order';
import { ApiError, errorResponse } from './http';
import { idempotentCreate } from './idempotent-create';
import { createOrderOperation, getOrderOperation, listOrdersOperation, type OperationDeps } from './operations';
import { CORRELATION_ID_HEADER, correlationIdOf } from './request-headers';
import { matchRoute } from './routes';

const config = loadConfig({
  ORDERS_TABLE: {},
  IDEMPOTENCY_TABLE: {},
  OUTBOX_TOPIC: {},
  POWERTOOLS_SERVICE_NAME: { default: 'order-api' },
});
const create = (command: Parameters<typeof createOrder>[0]) =>
  createOrder(command, {
    ordersTable: config.ORDERS_TABLE,
    outboxTopic: config.OUTBOX_TOPIC,
    source: config.POWERTOOLS_SERVICE_NAME,
  });
const deps: OperationDeps = {
  ordersTable: config.ORDERS_TABLE,
  create,
  idempotent: idempotentCreate(create, config.IDEMPOTENCY_TABLE),
};

export const handler = tracedHandler(
  async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const started = Date.now();
    logger.addContext(context);
    deps.idempotent.registerLambdaContext(context);
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    let correlationId = requestId;
    let log = requestLogger(requestId, correlationId);

    let response: APIGatewayProxyResult;
    let orderId: string | undefined;
    try {
      correlationId = correlationIdOf(event, requestId);
      log = requestLogger(requestId, correlationId);
      const route = matchRoute(event);
      if (route.operation === 'getOrder') orderId = route.orderId;
      const scope = { requestId, correlationId, log };
      if (route.operation === 'createOrder') response = await createOrderOperation(event, scope, deps);
      else if (route.operation === 'getOrder') response = await getOrderOperation(event, route.orderId, deps);
      else response = await listOrdersOperation(event, deps);
    } catch (err) {
      response = failureResponse(err, log, requestId);
    }
    response.headers = { ...response.headers, [CORRELATION_ID_HEADER]: correlationId };
    orderId ??= createdOrderId(response);
    // One request per invocation: the handler's subsegment carries the hop's annotations.
    annotateHop({
      orderId,
      correlationId,
      eventType: orderId && event.httpMethod === 'POST' ? 'OrderCreated' : undefined,
    });

    log.info('request handled', {
      method: event.httpMethod,
      path: event.path,
      status: response.statusCode,
      durationMs: Date.now() - started,
      ...(orderId ? { orderId } : {}),
    });
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    return response;
  },
);

/** The orderId of a POST /orders answer (202, or 200 for an idempotent repeat), from its JSON body. */
function createdOrderId(response: APIGatewayProxyResult): string | undefined {
  if (response.statusCode >= 300) return undefined;
  try {
    const body = JSON.parse(response.body) as { orderId?: unknown };
    return typeof body.orderId === 'string' ? body.orderId : undefined;
  } catch {
    return undefined;
  }
}

function requestLogger(requestId: string, correlationId: string): KeyedLogger {
  return keyedLogger({ requestId, correlationId });
}

function failureResponse(err: unknown, log: KeyedLogger, requestId: string): APIGatewayProxyResult {
  if (err instanceof ApiError) {
    log.info('request rejected', { code: err.code, reason: err.message, fields: err.fields });
    return errorResponse(err);
  }
  log.error('unexpected error', { error: err as Error, requestId });
  return errorResponse(
    new ApiError(500, 'INTERNAL_ERROR', `the request could not be completed; reference ${requestId}`),
  );
}
