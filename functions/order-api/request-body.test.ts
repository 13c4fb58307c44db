import { apiGatewayEvent } from '../../test/support/aws-events';
import { thrown } from '../../test/support/thrown';
import { ApiError } from './http';
import { MAX_BODY_BYTES, readJsonBody } from './request-body';

const post = (body: string | undefined, contentType: string | undefined, base64 = false) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/orders',
    ...(body !== undefined ? { body } : {}),
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    base64,
  });

const failure = (fn: () => unknown): ApiError => thrown(ApiError, fn);

describe('readJsonBody', () => {
  it('parses a JSON body, also base64-encoded and with a UTF-8 charset or a +json type', () => {
    expect(readJsonBody(post('{"a":1}', 'application/json'))).toEqual({ a: 1 });
    expect(readJsonBody(post('{"a":"é"}', 'application/json; charset=UTF-8', true))).toEqual({ a: 'é' });
    expect(readJsonBody(post('[1]', 'application/vnd.orders+json'))).toEqual([1]);
  });

  it('finds Content-Type whatever its case', () => {
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/orders',
      body: '{}',
      headers: { 'CONTENT-TYPE': 'application/json' },
    });
    expect(readJsonBody(event)).toEqual({});
  });

  it.each([
    undefined,
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/jsonx',
  ])('answers Content-Type %s with 415 UNSUPPORTED_MEDIA_TYPE', (contentType) => {
    const err = failure(() => readJsonBody(post('{}', contentType)));
    expect([err.statusCode, err.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE (counted in bytes, also when base64)', () => {
    const big = JSON.stringify({ pad: 'é'.repeat(MAX_BODY_BYTES / 2) }); // < limit in characters, > in bytes
    for (const base64 of [false, true]) {
      const err = failure(() => readJsonBody(post(big, 'application/json', base64)));
      expect([err.statusCode, err.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    }
    expect(
      readJsonBody(post(JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - 20) }), 'application/json')),
    ).toBeDefined();
  });

  it.each([
    ['an empty body', ''],
    ['no body', undefined],
    ['whitespace', '  \n'],
    ['truncated JSON', '{"customerId":'],
    ['trailing garbage', '{"a":1}}'],
    ['single quotes', "{'a':1}"],
    ['a NUL byte', '\u0000'],
  ])('answers %s with 400 MALFORMED_JSON', (_, body) => {
    const err = failure(() => readJsonBody(post(body, 'application/json')));
    expect([err.statusCode, err.code]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('answers base64 bytes that are not UTF-8 with 400 MALFORMED_JSON', () => {
    const event = apiGatewayEvent({ method: 'POST', path: '/orders', headers: { 'content-type': 'application/json' } });
    event.body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64');
    event.isBase64Encoded = true;
    const err = failure(() => readJsonBody(event));
    expect(err.message).toMatch(/UTF-8/);
  });
});
