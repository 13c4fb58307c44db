import { apiGatewayEvent } from '../../test/support/aws-events';
import { ApiError } from './http';
import { matchRoute } from './routes';

const route = (method: string, path: string) => matchRoute(apiGatewayEvent({ method, path }));

function failure(method: string, path: string): ApiError {
  try {
    route(method, path);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`${method} ${path} matched a route`);
}

describe('routes', () => {
  it('maps the three operations', () => {
    expect(route('POST', '/orders')).toEqual({ operation: 'createOrder' });
    expect(route('GET', '/orders')).toEqual({ operation: 'listOrders' });
    expect(route('GET', '/orders/')).toEqual({ operation: 'listOrders' });
    expect(route('GET', '/orders/abc-1')).toEqual({ operation: 'getOrder', orderId: 'abc-1' });
  });

  it('takes the order id from the path parameters API Gateway extracted', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/orders/x%2Dy', pathParameters: { id: 'x-y' } });
    expect(matchRoute(event)).toEqual({ operation: 'getOrder', orderId: 'x-y' });
  });

  it.each(['/', '/order', '/orders/a/b', '/admin', '/orders/../etc', '/orders/..', '/orders/%E0%A4%A'])(
    'answers GET %s with 404 NOT_FOUND',
    (path) => {
      const err = failure('GET', path);
      expect([err.statusCode, err.code]).toEqual([404, 'NOT_FOUND']);
    },
  );

  it.each([
    ['PUT', '/orders', 'GET, POST'],
    ['DELETE', '/orders', 'GET, POST'],
    ['PATCH', '/orders', 'GET, POST'],
    ['POST', '/orders/abc', 'GET'],
    ['DELETE', '/orders/abc', 'GET'],
  ])('answers %s %s with 405 METHOD_NOT_ALLOWED and Allow: %s', (method, path, allow) => {
    const err = failure(method, path);
    expect([err.statusCode, err.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(err.headers?.Allow).toBe(allow);
  });
});
