/**
 * Names of the deployment's stacks and of the few resources that need a name known before deploy
 * (the MSK cluster name appears in its CloudWatch metric dimensions; the poller group and registry
 * are plain strings). Everything else gets a CloudFormation-generated name, so two sandboxes with
 * different prefixes never collide.
 */
export interface DeploymentNames {
  readonly stacks: {
    readonly network: string;
    readonly streaming: string;
    readonly data: string;
    readonly services: string;
    readonly monitoring: string;
  };
  readonly mskCluster: string;
  /** Every Kafka ESM joins this provisioned-mode poller group, so they share event pollers. */
  readonly pollerGroup: string;
  readonly schemaRegistry: string;
  readonly apiName: string;
  readonly dashboard: string;
  /**
   * Namespace of the functions' EMF metrics: the prefix, so two deployments in one account never mix
   * their business metrics (the default prefix keeps the historical `OrderSaga`).
   */
  readonly metricsNamespace: string;
}

export function deploymentNames(prefix: string): DeploymentNames {
  const lower = prefix.toLowerCase();
  return {
    stacks: {
      network: `${prefix}-Network`,
      streaming: `${prefix}-Streaming`,
      data: `${prefix}-Data`,
      services: `${prefix}-Services`,
      monitoring: `${prefix}-Monitoring`,
    },
    mskCluster: `${lower}-kafka`,
    pollerGroup: `${lower}-kafka-consumers`,
    schemaRegistry: `${lower}-events`,
    apiName: `${lower}-orders-api`,
    dashboard: prefix,
    metricsNamespace: prefix,
  };
}
