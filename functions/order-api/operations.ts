/**
 * The three operations, each parse → decide → write → respond. Failures the client can fix are thrown
 * as ApiError (the handler turns them into the JSON error body); anything else is a 500.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BusinessMetric } from '../shared/metric-names';
import { type KeyedLogger, MetricUnit, metrics } from '../shared/observability';
import { validateCreateOrderRequest } from '../shared/validation';
import type { CreatedOrder, CreateOrderCommand } from './create-order';
import { ApiError, basePath, jsonResponse, validationFailed } from './http';
import type { IdempotentCreate } from './idempotent-create';
import { orderRepresentation, orderSummary } from './order-model';
import { getOrder, listOrders, parseListQuery } from './read-orders';
import { readJsonBody } from './request-body';
import { idempotencyKeyOf } from './request-headers';

export interface OperationDeps {
  readonly ordersTable: string;
  readonly create: (command: CreateOrderCommand) => Promise<CreatedOrder>;
  readonly idempotent: IdempotentCreate;
}

export interface RequestScope {
  readonly requestId: string;
  readonly correlationId: string;
  readonly log: KeyedLogger;
}

const orderLink = (event: APIGatewayProxyEvent, orderId: string) =>
  `${basePath(event)}/orders/${encodeURIComponent(orderId)}`;

export async function createOrderOperation(
  event: APIGatewayProxyEvent,
  scope: RequestScope,
  deps: OperationDeps,
): Promise<APIGatewayProxyResult> {
  const idempotencyKey = idempotencyKeyOf(event);
  const body = readJsonBody(event);
  const validation = validateCreateOrderRequest(body);
  if (!validation.ok) {
    const fields = validation.errors.map(({ path, message }) => ({ path, message }));
    throw validationFailed(`request body is invalid (${fields.length} problem${fields.length > 1 ? 's' : ''})`, fields);
  }
  const command: CreateOrderCommand = {
    request: validation.value,
    requestId: scope.requestId,
    correlationId: scope.correlationId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
  const { created, replayed } = idempotencyKey
    ? await deps.idempotent.run(idempotencyKey, command)
    : { created: await deps.create(command), replayed: false };

  if (replayed) {
    metrics.addMetric('IdempotentReplays', MetricUnit.Count, 1);
    scope.log.info('idempotent replay: answered with the original order', { orderId: created.orderId });
  } else {
    metrics.addMetric(BusinessMetric.created, MetricUnit.Count, 1);
    scope.log.info('order created', { orderId: created.orderId, eventId: created.eventId });
  }
  const self = orderLink(event, created.orderId);
  return jsonResponse(
    202,
    { orderId: created.orderId, status: created.status, links: { self } },
    { Location: self, ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) },
  );
}

export async function getOrderOperation(
  event: APIGatewayProxyEvent,
  orderId: string,
  deps: OperationDeps,
): Promise<APIGatewayProxyResult> {
  const order = await getOrder(deps.ordersTable, orderId);
  if (!order) throw new ApiError(404, 'NOT_FOUND', `order ${orderId} does not exist`);
  return jsonResponse(200, orderRepresentation(order, orderLink(event, order.orderId)));
}

export async function listOrdersOperation(
  event: APIGatewayProxyEvent,
  deps: OperationDeps,
): Promise<APIGatewayProxyResult> {
  const query = parseListQuery(event.queryStringParameters);
  const page = await listOrders(deps.ordersTable, query);
  const listLink = (cursor?: string) => {
    const params = new URLSearchParams({ customerId: query.customerId, limit: String(query.limit) });
    if (cursor) params.set('cursor', cursor);
    return `${basePath(event)}/orders?${params}`;
  };
  return jsonResponse(200, {
    orders: page.orders.map((o) => orderSummary(o, orderLink(event, o.orderId))),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    links: { self: listLink(query.cursor), ...(page.nextCursor ? { next: listLink(page.nextCursor) } : {}) },
  });
}
