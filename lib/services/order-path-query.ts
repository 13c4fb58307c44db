/**
 * The CloudWatch Logs Insights query that lists one order's path across every function's log group
 * (README "Follow one order"), saved in the account as a query definition over those log groups, so it
 * is one click in the console (Logs Insights → Saved queries). Every function logs `orderId` on its
 * per-record and per-request lines (functions/shared/observability.ts loggerFor, the relay's
 * "event published", order-api's "request handled"). Replace the placeholder with the order's id.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-querydefinition.html
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const ORDER_ID_PLACEHOLDER = '<orderId>';

export const ORDER_PATH_QUERY = new logs.QueryString({
  fields: ['@timestamp', 'service', 'message', 'type', 'eventId', 'topic', 'status', '@log'],
  filterStatements: [`orderId = "${ORDER_ID_PLACEHOLDER}"`],
  sort: '@timestamp asc',
});

export function orderPathQuery(
  scope: Construct,
  id: string,
  name: string,
  logGroups: logs.ILogGroup[],
): logs.QueryDefinition {
  return new logs.QueryDefinition(scope, id, {
    queryDefinitionName: name,
    queryString: ORDER_PATH_QUERY,
    logGroups,
  });
}
