/**
 * Which operation a request is: POST /orders, GET /orders, GET /orders/{id}. Anything else is a 404
 * (unknown path) or a 405 with an Allow header (known path, other method), both in the JSON error shape.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ApiError } from './http';

export type Route =
  | { readonly operation: 'createOrder' }
  | { readonly operation: 'listOrders' }
  | { readonly operation: 'getOrder'; readonly orderId: string };

const notFound = (event: APIGatewayProxyEvent) =>
  new ApiError(404, 'NOT_FOUND', `no resource at ${event.httpMethod} ${event.path}`);

const methodNotAllowed = (event: APIGatewayProxyEvent, allowed: readonly string[]) =>
  new ApiError(405, 'METHOD_NOT_ALLOWED', `${event.httpMethod} is not allowed on ${event.path}`, undefined, {
    Allow: allowed.join(', '),
  });

function segmentsOf(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // a malformed %-escape names no resource
  }
}

export function matchRoute(event: APIGatewayProxyEvent): Route {
  const segments = segmentsOf(event.path ?? '');
  const method = (event.httpMethod ?? '').toUpperCase();
  if (segments?.[0] !== 'orders' || segments.length > 2) throw notFound(event);

  if (segments.length === 1) {
    if (method === 'POST') return { operation: 'createOrder' };
    if (method === 'GET') return { operation: 'listOrders' };
    throw methodNotAllowed(event, ['GET', 'POST']);
  }
  const orderId = event.pathParameters?.id ?? (segments[1] as string);
  if (orderId === '.' || orderId === '..') throw notFound(event);
  if (method === 'GET') return { operation: 'getOrder', orderId };
  throw methodNotAllowed(event, ['GET']);
}
