/**
 * Every gateway response of the synthesized API renders to valid JSON whatever the request, with the error
 * shape {"error": {"code", "message"}}.
 *
 * renderGatewayTemplate models what API Gateway does with a gateway response template: plain substitution
 * of `$name.path` / `${name.path}` variables, no VTL (no directives, no $util):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseTemplates.html
 * Each variable is substituted as API Gateway documents it, and anything not known to be safe gets the
 * hostile text raw, as an unescaped substitution would put it:
 * - $context.error.messageString: "the quoted value of $context.error.message" → JSON-quoted hostile text.
 * - $context.error.responseType, $context.httpMethod: fixed value sets → each value.
 * - everything else ($context.error.validationErrorString, $context.path, ...): the hostile text, raw.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-data-models.html
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { GATEWAY_ERRORS, gatewayErrorTemplate } from '../../../lib/services/gateway-responses';
import { resourcesOf, synthPipeline } from '../support';

const HOSTILE = [
  'plain',
  'say "hi"',
  'back\\slash',
  'line\nbreak\r\ttab',
  '"}},"injected":{"x":"',
  '[object has missing required properties (["items"])]',
  '\\"\u2028\u0000',
];

const RESPONSE_TYPES = Object.getOwnPropertyNames(apigw.ResponseType)
  .map((k) => (apigw.ResponseType as unknown as Record<string, unknown>)[k])
  .filter((v): v is apigw.ResponseType => v instanceof apigw.ResponseType)
  .map((t) => t.responseType);
const HTTP_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** The values a variable can take in one rendering, given the hostile text of that rendering. */
function valuesOf(variable: string, hostile: string): string[] {
  if (variable === 'context.error.messageString') return [JSON.stringify(hostile)];
  if (variable === 'context.error.responseType') return RESPONSE_TYPES;
  if (variable === 'context.httpMethod') return HTTP_METHODS;
  return [hostile];
}

const VARIABLE = /\$(?:\{([A-Za-z]\w*(?:\.[A-Za-z]\w*)*)\}|([A-Za-z]\w*(?:\.[A-Za-z]\w*)*))/g;

/** Every rendering of a template: one per hostile text and per combination of enumerated values. */
function renderGatewayTemplate(template: string, hostile: string): string[] {
  const variables = [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? ''))];
  let renderings = [new Map<string, string>()];
  for (const variable of variables) {
    renderings = renderings.flatMap((r) => valuesOf(variable, hostile).map((v) => new Map(r).set(variable, v)));
  }
  return renderings.map((values) =>
    template.replace(VARIABLE, (_, braced: string | undefined, bare: string | undefined) => {
      const value = values.get(braced ?? bare ?? '');
      if (value === undefined) throw new Error('renderGatewayTemplate: unbound variable');
      return value;
    }),
  );
}

const pipeline = synthPipeline();
const responses = Object.values(
  resourcesOf(pipeline.template(pipeline.stacks.services), 'AWS::ApiGateway::GatewayResponse'),
).map((r) => ({
  type: r.Properties.ResponseType as string,
  template: (r.Properties.ResponseTemplates as Record<string, string>)['application/json'] ?? '',
}));

describe('renderGatewayTemplate', () => {
  it('substitutes raw what it does not know to be quoted, so an unescaped variable breaks the JSON', () => {
    const [rendered] = renderGatewayTemplate('{"m":"$context.error.validationErrorString"}', 'say "hi"');
    expect(rendered).toBe('{"m":"say "hi""}');
    expect(() => JSON.parse(rendered ?? '')).toThrow();
  });

  it('JSON-quotes messageString, enumerates responseType, and knows the braced form', () => {
    expect(renderGatewayTemplate('$context.error.messageString', 'a"b')).toEqual(['"a\\"b"']);
    expect(renderGatewayTemplate(`\${context.error.responseType}`, 'x')).toHaveLength(RESPONSE_TYPES.length);
    expect(RESPONSE_TYPES).toContain('BAD_REQUEST_BODY');
  });
});

describe('Gateway responses', () => {
  it('are the ones this project defines, each with a JSON template', () => {
    expect(responses.map((r) => r.type).sort()).toEqual(GATEWAY_ERRORS.map((e) => e.type.responseType).sort());
    expect(responses.map((r) => r.template).sort()).toEqual(GATEWAY_ERRORS.map(gatewayErrorTemplate).sort());
  });

  it.each(HOSTILE)('render to valid JSON in the error shape when the request carries %j', (hostile) => {
    let rendered = 0;
    for (const { type, template } of responses) {
      for (const body of renderGatewayTemplate(template, hostile)) {
        const parsed = JSON.parse(body) as { error: { code: unknown; message: unknown } };
        expect({ type, keys: Object.keys(parsed), errorKeys: Object.keys(parsed.error) }).toEqual({
          type,
          keys: ['error'],
          errorKeys: ['code', 'message'],
        });
        expect(typeof parsed.error.code).toBe('string');
        expect(typeof parsed.error.message).toBe('string');
        rendered++;
      }
    }
    // Every response rendered at least once (DEFAULT_4XX once per response type).
    expect(rendered).toBeGreaterThanOrEqual(responses.length + RESPONSE_TYPES.length - 1);
  });

  it('never embeds the unescaped validator message or the caller-chosen path', () => {
    for (const { template } of responses) {
      expect(template).not.toContain('validationErrorString');
      expect(template).not.toContain('$context.path');
    }
  });
});
