/**
 * Alarms that fire when the saga is in trouble, on the functions' EMF metrics and MSK consumer lag.
 * Thresholds are for a sandbox's traffic (a few orders a minute) and documented in README "Monitoring":
 * - a record dead-lettered: any, in one minute (a record the pipeline gave up on: someone must look);
 * - records failing transiently: in each of 5 consecutive minutes (retries heal blips; failures that
 *   persist are an outage the ESM retries hide: a partial batch response is never a Lambda Error);
 * - saga duration p99 above the re-drive deadline, for 3 five-minute periods (orders routinely need the
 *   reconciler, i.e. a hop is stalling);
 * - orders ended on error: any (a reaction could not be built, the order was rejected/declined instead);
 * - consumer lag per mapping above OFFSET_LAG_ALARM_RECORDS for 5 minutes, on MSK's SumOffsetLag of the
 *   mapping's consumer group and topic (published at DEFAULT monitoring level while the group is STABLE
 *   or EMPTY: https://docs.aws.amazon.com/msk/latest/developerguide/consumer-lag.html).
 * Missing data is "not breaching" everywhere: EMF counters are only published by running functions.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';
import { BusinessMetric, ConsumerMetric } from '../../functions/shared/metric-names';
import { type FunctionId, kafkaMappings, type SagaDeadlines } from '../topology';
import { OFFSET_LAG_ALARM_RECORDS } from './custom-metrics';
import { type CloudWatchNames, cloudWatchMetric } from './dashboard';

export const RETRIED_SUSTAINED_MINUTES = 5;
export const SAGA_P99_PERIOD = Duration.minutes(5);
export const SAGA_P99_PERIODS = 3;

/** The saga-duration p99 threshold: the re-drive deadline, in ms (the metric's unit). */
export function sagaDurationAlarmMs(deadlines: SagaDeadlines): number {
  return deadlines.redriveAfterSeconds * 1000;
}

const alphanumeric = (s: string) => s.replace(/[^A-Za-z0-9]/g, '-');

/** An alarm above `threshold` in `periods` consecutive periods (missing data not breaching). */
export const alarmAbove = (
  threshold: number,
  periods: number,
): {
  threshold: number;
  comparisonOperator: cloudwatch.ComparisonOperator;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingDataOverride: cloudwatch.TreatMissingData;
} => ({
  threshold,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: periods,
  datapointsToAlarm: periods,
  treatMissingDataOverride: cloudwatch.TreatMissingData.NOT_BREACHING,
});

export interface SagaAlarmProps {
  readonly names: CloudWatchNames;
  readonly deadlines: SagaDeadlines;
  /** Record processors (relay and Kafka consumers). */
  readonly processors: readonly FunctionId[];
  readonly consumers: readonly FunctionId[];
}

export function sagaAlarmGroups(p: SagaAlarmProps): CustomMetricGroup[] {
  const emf = (metric: string, service: FunctionId, stat: 'Sum' | 'p99' = 'Sum', period?: Duration) =>
    cloudWatchMetric({ label: service, ref: { source: 'emf', metric, service }, stat }, p.names, period);
  return [
    {
      title: 'Records dead-lettered (alarm: any)',
      metrics: p.processors.map((f) => ({
        alarmFriendlyName: `DeadLettered-${f}`,
        metric: emf(ConsumerMetric.deadLettered, f),
        addAlarm: { Critical: alarmAbove(0, 1) },
      })),
    },
    {
      title: `Records failing transiently (alarm: every minute for ${RETRIED_SUSTAINED_MINUTES} minutes)`,
      metrics: p.processors.map((f) => ({
        alarmFriendlyName: `RetriedSustained-${f}`,
        metric: emf(ConsumerMetric.retried, f),
        addAlarm: { Warning: alarmAbove(0, RETRIED_SUSTAINED_MINUTES) },
      })),
    },
    {
      title: 'Orders ended on error (alarm: any)',
      metrics: p.consumers.map((f) => ({
        alarmFriendlyName: `OrdersEndedOnError-${f}`,
        metric: emf(ConsumerMetric.ordersEnded, f),
        addAlarm: { Warning: alarmAbove(0, 1) },
      })),
    },
    {
      title: 'Saga duration p99 (alarm: above the re-drive deadline)',
      metrics: [
        {
          alarmFriendlyName: 'SagaDurationP99',
          metric: emf(BusinessMetric.sagaDuration, 'order-view', 'p99', SAGA_P99_PERIOD),
          addAlarm: { Warning: alarmAbove(sagaDurationAlarmMs(p.deadlines), SAGA_P99_PERIODS) },
        },
      ],
    },
    {
      title: 'Consumer lag per mapping (MSK SumOffsetLag)',
      metrics: kafkaMappings.map((m) => ({
        alarmFriendlyName: `ConsumerLag-${alphanumeric(m.id)}`,
        metric: cloudWatchMetric(
          { label: m.consumerGroupId, ref: { source: 'kafka-lag', mapping: m.id }, stat: 'Maximum' },
          p.names,
        ),
        addAlarm: { Warning: alarmAbove(OFFSET_LAG_ALARM_RECORDS, 5) },
      })),
    },
  ];
}
