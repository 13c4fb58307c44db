/**
 * The request headers the API acts on. Both are validated: a value that is stored or propagated
 * (idempotency record, Kafka headers, logs) must be well-formed, and a bad one gets a clear 400.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header, validationFailed } from './http';

const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Printable ASCII without spaces or quotes, up to 255 characters (a UUID is the usual choice). */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:+/=-]{1,255}$/;
/** Same rule as the envelope's correlationId (schemas/common traceId): 1..128 printable ASCII, no spaces. */
const CORRELATION_ID = /^[!-~]{1,128}$/;

/** The Idempotency-Key, or undefined when the header is absent (allowed); present but malformed → 400. */
export function idempotencyKeyOf(event: APIGatewayProxyEvent): string | undefined {
  const key = header(event, IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw validationFailed(`${IDEMPOTENCY_KEY_HEADER} header is malformed`, [
      {
        path: `header:${IDEMPOTENCY_KEY_HEADER}`,
        message: 'must be 1-255 characters of letters, digits and . _ : + / = - (a UUID is recommended)',
      },
    ]);
  }
  return key;
}

/** The caller's correlation id, or the API Gateway request id when none is sent. */
export function correlationIdOf(event: APIGatewayProxyEvent, requestId: string): string {
  const incoming = header(event, CORRELATION_ID_HEADER);
  if (incoming === undefined) return requestId;
  if (!CORRELATION_ID.test(incoming)) {
    throw validationFailed(`${CORRELATION_ID_HEADER} header is malformed`, [
      { path: `header:${CORRELATION_ID_HEADER}`, message: 'must be 1-128 printable ASCII characters without spaces' },
    ]);
  }
  return incoming;
}
