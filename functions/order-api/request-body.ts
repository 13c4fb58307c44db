/**
 * Reading a JSON request body: media type (415), size (413), UTF-8 and JSON syntax (400 MALFORMED_JSON).
 * Schema validation is the caller's next step; this only turns bytes into a JSON value.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ApiError, header } from './http';

/** Orders are small (≤ 50 lines); anything larger than this is not an order. */
export const MAX_BODY_BYTES = 64 * 1024;

/** `application/json`, or a structured `+json` type, with no charset other than UTF-8. */
function assertJsonContentType(contentType: string | undefined): void {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  const isJson = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  if (!isJson || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json (UTF-8); got ${contentType ? JSON.stringify(contentType) : 'none'}`,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readJsonBody(event: APIGatewayProxyEvent): unknown {
  assertJsonContentType(header(event, 'content-type'));
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ApiError(
      413,
      'PAYLOAD_TOO_LARGE',
      `request body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES} bytes`,
    );
  }
  let text: string;
  try {
    text = event.isBase64Encoded ? utf8.decode(bytes) : raw;
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new ApiError(400, 'MALFORMED_JSON', 'request body is empty; a JSON object is expected');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
