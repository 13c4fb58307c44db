import { Match } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { createOrderRequestModel } from '../../lib/api/create-order-model';
import { STAGE_NAME, toCdkJsonSchema } from '../../lib/services/orders-api';
import { onlyResource, resourcesOf, synthPipeline } from './support';

const pipeline = synthPipeline();
const services = pipeline.stacks.services;
const template = pipeline.template(services);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const orderApiFnId = services.getLogicalId(
  (services.functions.get('order-api') as lambda.Function).node.defaultChild as never,
);

function methods() {
  return Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).map((m) => {
    const resourceRef = (m.Properties.ResourceId as { Ref?: string }).Ref;
    const pathPart = resourceRef ? (resources[resourceRef]?.Properties.PathPart as string) : '';
    const parentRef = resourceRef ? (resources[resourceRef]?.Properties.ParentId as { Ref?: string }).Ref : undefined;
    const parentPart = parentRef ? (resources[parentRef]?.Properties.PathPart as string) : undefined;
    return {
      path: `/${[parentPart, pathPart].filter(Boolean).join('/')}`,
      method: m.Properties.HttpMethod,
      props: m.Properties,
    };
  });
}

describe('Orders API', () => {
  it('exposes exactly POST /orders, GET /orders and GET /orders/{id}, no CORS preflight', () => {
    expect(
      methods()
        .map((m) => `${m.method} ${m.path}`)
        .sort(),
    ).toEqual(['GET /orders', 'GET /orders/{id}', 'POST /orders']);
  });

  it('proxies every method to the order-api function and requires an API key', () => {
    for (const m of methods()) {
      expect(m.props.ApiKeyRequired).toBe(true);
      expect(m.props.AuthorizationType).toBe('NONE');
      const integration = m.props.Integration as { Type: string; Uri: unknown };
      expect(integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).toContain(orderApiFnId);
    }
  });

  it('validates the POST body against the model derived from schemas/ (exactly, as draft 4)', () => {
    const post = methods().find((m) => m.method === 'POST');
    const modelRef = (post?.props.RequestModels as Record<string, { Ref: string }>)['application/json']?.Ref as string;
    expect(resources[modelRef]?.Properties.Schema).toEqual(createOrderRequestModel());
    expect(resources[modelRef]?.Properties.ContentType).toBe('application/json');
    const validatorRef = (post?.props.RequestValidatorId as { Ref: string }).Ref;
    expect(resources[validatorRef]?.Properties).toMatchObject({
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('requires customerId on GET /orders', () => {
    const list = methods().find((m) => m.method === 'GET' && m.path === '/orders');
    expect(list?.props.RequestParameters).toMatchObject({ 'method.request.querystring.customerId': true });
    expect(list?.props.RequestValidatorId).toBeDefined();
  });

  it('answers gateway errors in the API error shape', () => {
    const responses = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse'));
    const byType = new Map(responses.map((r) => [r.Properties.ResponseType as string, r.Properties]));
    expect(byType.get('BAD_REQUEST_BODY')).toMatchObject({ StatusCode: '400' });
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ StatusCode: '404' });
    for (const [type, props] of byType) {
      const body = (props.ResponseTemplates as Record<string, string>)['application/json'] as string;
      // Fill the template as API Gateway would (messageString arrives JSON-quoted) and parse it.
      const filled = body
        .replace(/\$context\.error\.messageString/g, '"Forbidden"')
        .replace(/\$context\.[A-Za-z.]+/g, 'X');
      const parsed = JSON.parse(filled) as { error: { code: string; message: string } };
      expect({ type, keys: Object.keys(parsed.error) }).toEqual({ type, keys: ['code', 'message'] });
    }
    const codeOf = (type: string) =>
      ((byType.get(type)?.ResponseTemplates as Record<string, string>)['application/json'] as string).match(
        /"code":"([^"]+)"/,
      )?.[1];
    expect(codeOf('BAD_REQUEST_BODY')).toBe('VALIDATION_FAILED');
    expect(codeOf('BAD_REQUEST_PARAMETERS')).toBe('VALIDATION_FAILED');
    expect(codeOf('MISSING_AUTHENTICATION_TOKEN')).toBe('NOT_FOUND');
    expect(codeOf('REQUEST_TOO_LARGE')).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf('DEFAULT_5XX')).toBe('INTERNAL_ERROR');
  });

  it('throttles at the stage and through a usage plan with a key, and writes JSON access logs', () => {
    const { api } = pipeline.config;
    const [, stage] = onlyResource(template, 'AWS::ApiGateway::Stage');
    expect(stage.Properties.StageName).toBe(STAGE_NAME);
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: api.rateLimit,
        ThrottlingBurstLimit: api.burstLimit,
      }),
    ]);
    expect((stage.Properties.AccessLogSetting as { Format: string }).Format).toContain('"status"');
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: api.rateLimit, BurstLimit: api.burstLimit },
      Quota: { Limit: api.quotaPerDay, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  it('outputs the API URL and the key id', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(outputs).toHaveProperty('ApiUrl');
    expect(outputs).toHaveProperty('ApiKeyId');
  });
});

describe('toCdkJsonSchema', () => {
  it('refuses a schema that is not draft 4 or uses an unknown type', () => {
    expect(() => toCdkJsonSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' })).toThrow(
      /draft 4/,
    );
    expect(() =>
      toCdkJsonSchema({ $schema: 'http://json-schema.org/draft-04/schema#', properties: { a: { type: 'text' } } }),
    ).toThrow(/unknown JSON Schema type "text"/);
  });

  it('lets a property be called "type"', () => {
    const schema = { $schema: 'http://json-schema.org/draft-04/schema#', properties: { type: { type: 'string' } } };
    expect(toCdkJsonSchema(schema)).toMatchObject({ properties: { type: { type: 'string' } } });
  });
});
