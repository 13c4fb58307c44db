/**
 * The whole deployment: five stacks wired from one DeploymentConfig. Every stack is pinned to
 * config.region (the subnets name AZ IDs, which belong to one region: lib/config.ts resolveRegion says
 * where the region comes from); the account stays deploy-time (the CLI profile's), so `cdk synth` needs
 * no credentials and makes no lookups.
 */
import type { App, StackProps } from 'aws-cdk-lib';
import type { DeploymentConfig } from './config';
import { DataStack } from './data/data-stack';
import { MonitoringStack } from './monitoring/monitoring-stack';
import { deploymentNames } from './names';
import { NetworkStack } from './network/network-stack';
import { STAGE_NAME } from './services/orders-api';
import { ServicesStack } from './services/services-stack';
import { StreamingStack } from './streaming/streaming-stack';

export interface PipelineStacks {
  readonly network: NetworkStack;
  readonly streaming: StreamingStack;
  readonly data: DataStack;
  readonly services: ServicesStack;
  readonly monitoring: MonitoringStack;
}

export function buildPipeline(app: App, config: DeploymentConfig): PipelineStacks {
  const names = deploymentNames(config.prefix);
  const common: StackProps = {
    env: { region: config.region },
    tags: { project: 'kafka-order-saga', deployment: config.prefix },
  };

  const network = new NetworkStack(app, names.stacks.network, { ...common, config });
  const streaming = new StreamingStack(app, names.stacks.streaming, {
    ...common,
    config,
    names,
    subnets: network.isolatedSubnets,
    clusterSecurityGroup: network.kafkaClusterSecurityGroup,
  });
  const data = new DataStack(app, names.stacks.data, { ...common, config });
  const services = new ServicesStack(app, names.stacks.services, {
    ...common,
    config,
    names,
    tables: data.tables,
    clusterArn: streaming.cluster.clusterArn,
    kafkaBrokers: streaming.bootstrapBrokers.iamBrokers,
    schemaVersionIds: streaming.schemaVersionIds,
    vpc: network.vpc,
    relaySecurityGroup: network.relaySecurityGroup,
  });
  // Consumers must not start before their topics exist: the topics are in the streaming stack.
  services.addStackDependency(streaming, 'Kafka ESMs need their topics');
  const monitoring = new MonitoringStack(app, names.stacks.monitoring, {
    ...common,
    config,
    names,
    api: services.ordersApi.api,
    apiStage: STAGE_NAME,
    functions: services.functions,
    deadLetterQueues: services.deadLetterQueues,
    tables: data.tables,
    cluster: { name: streaming.cluster.clusterName, brokerCount: streaming.cluster.brokerCount },
  });
  return { network, streaming, data, services, monitoring };
}
