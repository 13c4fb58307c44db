/** Test handler behind the API twin: answers with what the proxy event carried, in a proxy result. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  if (event.path === '/orders/binary') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 254]).toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (event.pathParameters?.id === 'boom') throw new Error('handler failed');
  return {
    statusCode: event.httpMethod === 'POST' ? 202 : 200,
    headers: { 'content-type': 'application/json', 'x-seen-resource': event.resource },
    multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
    body: JSON.stringify({
      resource: event.resource,
      path: event.path,
      pathParameters: event.pathParameters,
      query: event.multiValueQueryStringParameters,
      stage: event.requestContext.stage,
      requestId: event.requestContext.requestId,
      body: event.body ? JSON.parse(event.body) : null,
    }),
  };
};
