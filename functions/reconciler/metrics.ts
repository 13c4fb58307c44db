/** The reconciler's metric names (EMF, namespace OrderSaga, dimension service=reconciler); lib/monitoring alarms on them. */
export const ReconcilerMetric = {
  redriven: 'OrdersRedriven',
  expired: 'OrdersExpired',
  unnotified: 'OrdersUnnotified',
  oldestOpenAge: 'OldestOpenOrderAgeSeconds',
} as const;
