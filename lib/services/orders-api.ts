/**
 * The REST API (v1, Lambda proxy integration: the local API twin reproduces these events):
 * POST /orders (body validated by API Gateway against the model derived from schemas/), GET /orders
 * ?customerId=, GET /orders/{id}; any other method or path is proxied too, for the function's 404/405. Callers present an API key of the usage plan, which throttles and
 * caps them; the stage throttles everyone. Access logs go to CloudWatch Logs, through the account's API
 * Gateway CloudWatch role, which this construct sets (see below). No CORS: no browser client is served.
 * Errors API Gateway answers itself use the API's error shape (gateway-responses.ts, docs/design.md).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createOrderRequestModel, type Draft4Schema } from '../api/create-order-model';
import { API_GATEWAY_LIMITS, wholeInRange } from '../aws-limits';
import type { ApiSettings } from '../config';
import { addGatewayErrors } from './gateway-responses';

export const STAGE_NAME = 'v1';

export interface OrdersApiProps {
  readonly apiName: string;
  readonly handler: lambda.IFunction;
  readonly settings: ApiSettings;
  readonly logRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
}

export class OrdersApi extends Construct {
  readonly api: apigw.RestApi;
  readonly apiKey: apigw.IApiKey;
  readonly usagePlan: apigw.UsagePlan;
  readonly accessLogs: logs.LogGroup;
  /** The account/region API Gateway setting naming the CloudWatch Logs role (retained on destroy). */
  readonly apiGatewayAccount: apigw.CfnAccount;

  constructor(scope: Construct, id: string, props: OrdersApiProps) {
    super(scope, id);
    const { settings } = props;
    const { rateLimit, burstLimit } = API_GATEWAY_LIMITS;
    if (!wholeInRange(settings.rateLimit, rateLimit) || !wholeInRange(settings.burstLimit, burstLimit)) {
      throw new Error(
        `OrdersApi: rateLimit must be ${rateLimit.min}..${rateLimit.max} and burstLimit ${burstLimit.min}..${burstLimit.max} (the account throttle), got ${settings.rateLimit} / ${settings.burstLimit}`,
      );
    }
    if (settings.burstLimit < settings.rateLimit) throw new Error('OrdersApi: burstLimit must be >= rateLimit');

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays,
      removalPolicy: props.removalPolicy,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: props.apiName,
      description: 'Order saga: create and read orders',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // A stage with logging fails to create ("CloudWatch Logs role ARN must be set in account settings to
      // enable logging") in an account/region whose API Gateway settings name no CloudWatch role, as in a
      // fresh account. So the stack sets one: an IAM role with AmazonAPIGatewayPushToCloudWatchLogs, named in
      // AWS::ApiGateway::Account. Both are account-wide (one setting per region), so both are kept when the
      // stack is destroyed: other APIs of the account may log through the role by then.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: settings.rateLimit,
        throttlingBurstLimit: settings.burstLimit,
        metricsEnabled: true,
        // X-Ray on the stage: API Gateway samples requests, records their segment and passes the trace
        // header to order-api, whose invocation continues the trace
        // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html).
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
      },
    });

    // aws-cdk-lib makes the Account depend on the RestApi only; without this the stage may be created
    // first and fail (aws/aws-cdk#10722).
    const account = this.api.node.tryFindChild('Account');
    if (!(account instanceof apigw.CfnAccount)) throw new Error('OrdersApi: no AWS::ApiGateway::Account under the API');
    this.apiGatewayAccount = account;
    this.api.deploymentStage.node.addDependency(account);

    const integration = new apigw.LambdaIntegration(props.handler, { proxy: true });
    // Body (POST, against the model) and required parameters (customerId of GET /orders).
    const validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const createOrderModel = this.api.addModel('CreateOrderRequest', {
      modelName: 'CreateOrderRequestV1',
      contentType: 'application/json',
      description: 'Derived from schemas/api/create-order-request/v1.json (lib/api/create-order-model.ts)',
      schema: toCdkJsonSchema(createOrderRequestModel()),
    });

    const orders = this.api.root.addResource('orders');
    orders.addMethod('POST', integration, {
      apiKeyRequired: true,
      requestValidator: validator,
      requestModels: { 'application/json': createOrderModel },
    });
    // customerId is required here; the function checks all three values and names the one at fault.
    orders.addMethod('GET', integration, {
      apiKeyRequired: true,
      requestValidator: validator,
      requestParameters: {
        'method.request.querystring.customerId': true,
        'method.request.querystring.limit': false,
        'method.request.querystring.cursor': false,
      },
    });
    const order = orders.addResource('{id}');
    order.addMethod('GET', integration, {
      apiKeyRequired: true,
      requestParameters: { 'method.request.path.id': true },
    });
    // Every other method and path reaches the function too, which answers 405 with an Allow header
    // (known path) or 404 (unknown path) in the API's error shape, exactly as the local API twin does.
    // Without these API Gateway answers both with a 403 "Missing Authentication Token".
    for (const resource of [orders, order, this.api.root.addResource('{proxy+}')]) {
      resource.addMethod('ANY', integration, { apiKeyRequired: true });
    }

    addGatewayErrors(this.api);

    this.usagePlan = this.api.addUsagePlan('UsagePlan', {
      description: 'Sandbox callers of the orders API',
      throttle: { rateLimit: settings.rateLimit, burstLimit: settings.burstLimit },
      quota: { limit: settings.quotaPerDay, period: apigw.Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.apiKey = this.api.addApiKey('ApiKey', { description: 'Sandbox key for the orders API' });
    this.usagePlan.addApiKey(this.apiKey);
  }
}

/**
 * The draft-4 model in the shape aws-cdk-lib's Model takes: `$schema` is spelt `schema` there and
 * `type` values are its JsonSchemaType enum (the same strings). Checked, not assumed: an unknown type
 * fails here, and the Model renders it back to exactly the derived document (pinned by a test).
 */
export function toCdkJsonSchema(schema: Draft4Schema): apigw.JsonSchema {
  const types = new Set<string>(Object.values(apigw.JsonSchemaType));
  const checkTypes = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(checkTypes);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
        // Maps of name → schema: a property may itself be called "type".
        Object.values(value as object).forEach(checkTypes);
      } else if (key === 'type') {
        for (const t of [value].flat()) {
          if (typeof t !== 'string' || !types.has(t)) throw new Error(`unknown JSON Schema type ${JSON.stringify(t)}`);
        }
      } else if (key !== 'enum' && key !== 'default') checkTypes(value);
    }
  };
  checkTypes(schema);
  const { $schema, ...rest } = schema;
  if ($schema !== apigw.JsonSchemaVersion.DRAFT4)
    throw new Error(`API Gateway models are draft 4, got ${String($schema)}`);
  // Structurally a JsonSchema once the types are checked; TypeScript cannot see through the recursion.
  return { schema: apigw.JsonSchemaVersion.DRAFT4, ...rest } as apigw.JsonSchema;
}
