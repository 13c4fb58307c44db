import { Match } from 'aws-cdk-lib/assertions';
import { createOrderRequestModel } from '../../../lib/api/create-order-model';
import { API_GATEWAY_LIMITS } from '../../../lib/aws-limits';
import { DEFAULTS } from '../../../lib/config';
import { STAGE_NAME, toCdkJsonSchema } from '../../../lib/services/orders-api';
import { onlyResource, resourcesOf, standaloneOrdersApi, synthPipeline } from '../support';

const pipeline = synthPipeline();
const services = pipeline.stacks.services;
const template = pipeline.template(services);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const orderApiFnId = pipeline.logicalIds.function('order-api');

/** Properties of a resource by logical id; fails loudly if it is not in the template. */
function propsOf(logicalId: string | undefined): Record<string, unknown> {
  const resource = logicalId === undefined ? undefined : resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource.Properties;
}

const refOf = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref;

function methods() {
  return Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).map((m) => {
    const resourceRef = refOf(m.Properties.ResourceId);
    const resource = resourceRef ? propsOf(resourceRef) : undefined;
    const parentRef = refOf(resource?.ParentId);
    const parts = [parentRef ? propsOf(parentRef).PathPart : undefined, resource?.PathPart].filter(Boolean);
    return { path: `/${parts.join('/')}`, method: m.Properties.HttpMethod, props: m.Properties };
  });
}

function method(httpMethod: string, path: string): Record<string, unknown> {
  const found = methods().find((m) => m.method === httpMethod && m.path === path);
  if (!found) throw new Error(`no ${httpMethod} ${path}`);
  return found.props;
}

function gatewayResponses(): Map<string, { status?: string; template: string }> {
  return new Map(
    Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => [
      r.Properties.ResponseType as string,
      {
        status: r.Properties.StatusCode as string | undefined,
        template: (r.Properties.ResponseTemplates as Record<string, string>)['application/json'] ?? '',
      },
    ]),
  );
}

describe('Orders API', () => {
  it('exposes POST /orders, GET /orders and GET /orders/{id}, proxies everything else, no CORS preflight', () => {
    expect(
      methods()
        .map((m) => `${m.method} ${m.path}`)
        .sort(),
    ).toEqual([
      // ANY: the function answers other methods with 405 and unknown paths with 404 (as the local twin).
      'ANY /orders',
      'ANY /orders/{id}',
      'ANY /{proxy+}',
      'GET /orders',
      'GET /orders/{id}',
      'POST /orders',
    ]);
    expect(methods().some((m) => m.method === 'OPTIONS')).toBe(false);
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
    const post = method('POST', '/orders');
    const model = propsOf(refOf((post.RequestModels as Record<string, unknown>)['application/json']));
    expect(model.Schema).toEqual(createOrderRequestModel());
    expect(model.ContentType).toBe('application/json');
    expect(propsOf(refOf(post.RequestValidatorId))).toMatchObject({
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('requires customerId on GET /orders', () => {
    const list = method('GET', '/orders');
    expect(list.RequestParameters).toMatchObject({ 'method.request.querystring.customerId': true });
    expect(propsOf(refOf(list.RequestValidatorId))).toMatchObject({ ValidateRequestParameters: true });
  });

  it('answers gateway errors in the API error shape', () => {
    const responses = gatewayResponses();
    expect(responses.get('BAD_REQUEST_BODY')?.status).toBe('400');
    expect(responses.get('MISSING_AUTHENTICATION_TOKEN')?.status).toBe('404');
    for (const [type, response] of responses) {
      // Fill the template as API Gateway would (messageString arrives JSON-quoted) and parse it.
      const filled = response.template
        .replace(/\$context\.error\.messageString/g, '"Forbidden"')
        .replace(/\$context\.[A-Za-z.]+/g, 'X');
      const parsed = JSON.parse(filled) as { error: { code: string; message: string } };
      expect({ type, keys: Object.keys(parsed.error) }).toEqual({ type, keys: ['code', 'message'] });
    }
    const codeOf = (type: string) => responses.get(type)?.template.match(/"code":"([^"]+)"/)?.[1];
    expect(codeOf('BAD_REQUEST_BODY')).toBe('VALIDATION_FAILED');
    expect(codeOf('BAD_REQUEST_PARAMETERS')).toBe('VALIDATION_FAILED');
    expect(codeOf('MISSING_AUTHENTICATION_TOKEN')).toBe('NOT_FOUND');
    expect(codeOf('REQUEST_TOO_LARGE')).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf('DEFAULT_5XX')).toBe('INTERNAL_ERROR');
  });

  it('sets the account CloudWatch Logs role itself (a fresh account has none), kept on destroy, before the stage', () => {
    const all = template.toJSON().Resources as Record<string, Record<string, unknown>>;
    const [accountId, account] = onlyResource(template, 'AWS::ApiGateway::Account');
    const roleArn = account.Properties.CloudWatchRoleArn as { 'Fn::GetAtt': [string, string] };
    const [roleId, attribute] = roleArn['Fn::GetAtt'];
    expect(attribute).toBe('Arn');
    const role = all[roleId] as { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('"Service":"apigateway.amazonaws.com"');
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(
      ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );
    // Account-wide: other APIs may log through the role once it is set, so destroy leaves both.
    expect(account.DeletionPolicy).toBe('Retain');
    expect(role.DeletionPolicy).toBe('Retain');
    // The stage turns logging on, so CloudFormation must set the account role first.
    const [, stage] = onlyResource(template, 'AWS::ApiGateway::Stage');
    expect(stage.DependsOn).toEqual(expect.arrayContaining([accountId]));
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

describe('OrdersApi rate and burst checks', () => {
  const ordersApi = (rateLimit: number, burstLimit: number) =>
    standaloneOrdersApi({ ...DEFAULTS.api, rateLimit, burstLimit });

  it('takes the highest throttle the account allows (burst 5,000, and the rate at most the burst) on the stage and the usage plan', () => {
    const t = ordersApi(API_GATEWAY_LIMITS.burstLimit.max, API_GATEWAY_LIMITS.burstLimit.max);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 5000, ThrottlingBurstLimit: 5000 })]),
    });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 5000, BurstLimit: 5000 } });
  });

  it.each([
    [0, 40, /rateLimit must be 1\.\.10000 and burstLimit 1\.\.5000 \(the account throttle\), got 0 \/ 40/],
    [10_001, 5000, /got 10001 \/ 5000/],
    [20, 5001, /got 20 \/ 5001/],
    [20.5, 40, /got 20\.5 \/ 40/],
  ])('refuses rate %d / burst %d outside the account throttle', (rate, burst, message) => {
    expect(() => ordersApi(rate, burst)).toThrow(message);
  });

  it('refuses a burst below the rate (the bucket could never hold one second of requests)', () => {
    expect(() => ordersApi(50, 40)).toThrow('OrdersApi: burstLimit must be >= rateLimit');
  });
});
