/**
 * The MSK provisioned cluster (L1: aws-cdk-lib has no stable L2). IAM is the only client
 * authentication, traffic is TLS between clients and brokers and between brokers, data volumes are
 * encrypted at rest (MSK always encrypts them; with no key given it uses the AWS-managed aws/kafka
 * key, which costs nothing), and broker logs go to CloudWatch Logs.
 */
import { type RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import { Construct } from 'constructs';
import { MSK_LIMITS, wholeInRange } from '../aws-limits';
import type { MskSettings } from '../config';

export interface MskClusterProps {
  readonly clusterName: string;
  readonly settings: MskSettings;
  /** One subnet per AZ; the broker count must be a multiple of their number. */
  readonly subnets: readonly ec2.ISubnet[];
  readonly securityGroup: ec2.ISecurityGroup;
  readonly logRetentionDays: number;
  /** Of the broker log group. */
  readonly removalPolicy: RemovalPolicy;
}

export class MskCluster extends Construct {
  readonly cluster: msk.CfnCluster;
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly brokerCount: number;
  readonly brokerLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    const { settings, subnets } = props;
    if (!/^[A-Za-z0-9-]{1,64}$/.test(props.clusterName)) {
      throw new Error(`MskCluster: clusterName must be 1-64 letters, digits or '-', got ${props.clusterName}`);
    }
    if (subnets.length < 2) throw new Error(`MskCluster: needs subnets in at least 2 AZs, got ${subnets.length}`);
    if (settings.brokerCount % subnets.length !== 0) {
      throw new Error(
        `MskCluster: brokerCount ${settings.brokerCount} is not a multiple of the ${subnets.length} subnets`,
      );
    }
    const { min, max } = MSK_LIMITS.volumeGiB;
    if (!Token.isUnresolved(settings.volumeGiB) && !wholeInRange(settings.volumeGiB, MSK_LIMITS.volumeGiB)) {
      throw new Error(`MskCluster: volumeGiB must be ${min}..${max}, got ${settings.volumeGiB}`);
    }

    this.brokerLogGroup = new logs.LogGroup(this, 'BrokerLogs', {
      retention: props.logRetentionDays,
      removalPolicy: props.removalPolicy,
    });

    this.cluster = new msk.CfnCluster(this, 'Cluster', {
      clusterName: props.clusterName,
      kafkaVersion: settings.kafkaVersion,
      numberOfBrokerNodes: settings.brokerCount,
      brokerNodeGroupInfo: {
        instanceType: settings.instanceType,
        clientSubnets: subnets.map((s) => s.subnetId),
        securityGroups: [props.securityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: settings.volumeGiB } },
      },
      clientAuthentication: {
        sasl: { iam: { enabled: true }, scram: { enabled: false } },
        tls: { enabled: false },
        unauthenticated: { enabled: false },
      },
      encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } },
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: this.brokerLogGroup.logGroupName } } },
      enhancedMonitoring: 'DEFAULT',
    });
    // Always deleted with the stack, whatever retainData says: a retained cluster keeps billing, and
    // what it holds is transient (the outbox in DynamoDB is the source of every event).
    this.clusterArn = this.cluster.attrArn;
    this.clusterName = props.clusterName;
    this.brokerCount = settings.brokerCount;
  }

  /** Replicas per partition: one per broker up to the usual 3. */
  get replicationFactor(): number {
    return Math.min(3, this.brokerCount);
  }
}
