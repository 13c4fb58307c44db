/**
 * The topology's schedules as EventBridge rules: `rate(N minutes)` invoking the function (the local
 * runner's twin: localstack/runner/schedule/schedule-twin.ts). No retries beyond one and a short
 * event age: a missed run is simply the next run, which does the same work.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { SagaDeadlines, ScheduleSpec } from '../topology';

export function scheduleRule(
  scope: Construct,
  id: string,
  schedule: ScheduleSpec,
  fn: lambda.IFunction,
  deadlines: SagaDeadlines,
): events.Rule {
  const seconds = deadlines[schedule.period];
  if (seconds % 60 !== 0) throw new Error(`schedule ${schedule.id}: ${seconds} s is not whole minutes`);
  return new events.Rule(scope, id, {
    description: `${schedule.id}: runs ${schedule.function} every ${seconds / 60} minute(s)`,
    schedule: events.Schedule.rate(Duration.minutes(seconds / 60)),
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 1, maxEventAge: Duration.minutes(1) })],
  });
}
