/**
 * The reconciler's metrics (EMF from functions/reconciler, namespace: the deployment's, Powertools' `service`
 * dimension): orders re-driven (dashboard only: a re-drive is the pipeline healing itself), orders
 * expired (alarmed: every expiry is an order the saga could not finish in time) and the age of the
 * oldest open order (alarmed: past the expiry deadline plus a few runs, the reconciler is not ending
 * orders, or is not running at all — a missing gauge counts as breaching).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';
import { ReconcilerMetric } from '../../functions/reconciler/metrics';
import type { SagaDeadlines } from '../topology';
import { alarmAbove } from './saga-alarms';

/** Reconciler runs an order may stay open past its expiry deadline (expiry, settlement) before alarming. */
const OPEN_AGE_GRACE_RUNS = 3;

const reconcilerMetric = (namespace: string, metricName: string, statistic: string, period: Duration, label: string) =>
  new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { service: 'reconciler' },
    statistic,
    period,
    label,
  });

export function oldestOpenOrderAlarmSeconds(deadlines: SagaDeadlines): number {
  return deadlines.expireAfterSeconds + OPEN_AGE_GRACE_RUNS * deadlines.reconcileEverySeconds;
}

/** Warning on any datapoint above 0 in one period (every one is an order the saga could not finish well). */
const ANY_IN_A_PERIOD = { Warning: alarmAbove(0, 1) };

export function sagaMetricGroups(deadlines: SagaDeadlines, namespace: string): CustomMetricGroup[] {
  const period = Duration.seconds(Math.max(60, deadlines.reconcileEverySeconds));
  return [
    {
      title: 'Saga reconciler: orders re-driven, expired and never notified (per run period)',
      metrics: [
        reconcilerMetric(namespace, ReconcilerMetric.redriven, cloudwatch.Stats.SUM, period, 're-driven'),
        {
          alarmFriendlyName: 'OrdersExpired',
          metric: reconcilerMetric(namespace, ReconcilerMetric.expired, cloudwatch.Stats.SUM, period, 'expired'),
          addAlarm: ANY_IN_A_PERIOD,
        },
        {
          // A final order whose NotificationSent did not arrive by the expiry deadline, re-drives included.
          alarmFriendlyName: 'OrdersUnnotified',
          metric: reconcilerMetric(
            namespace,
            ReconcilerMetric.unnotified,
            cloudwatch.Stats.SUM,
            period,
            'never notified',
          ),
          addAlarm: ANY_IN_A_PERIOD,
        },
      ],
    },
    {
      title: 'Saga reconciler: oldest open order (seconds)',
      metrics: [
        {
          alarmFriendlyName: 'OldestOpenOrderAge',
          metric: reconcilerMetric(
            namespace,
            ReconcilerMetric.oldestOpenAge,
            cloudwatch.Stats.MAXIMUM,
            period,
            'oldest open',
          ),
          addAlarm: {
            Critical: {
              threshold: oldestOpenOrderAlarmSeconds(deadlines),
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
              evaluationPeriods: 2,
              datapointsToAlarm: 2,
              treatMissingDataOverride: cloudwatch.TreatMissingData.BREACHING,
            },
          },
        },
      ],
    },
  ];
}
