/**
 * The cluster's IAM bootstrap brokers, resolved at deploy time: a custom resource calling
 * kafka:GetBootstrapBrokers once the cluster exists (CloudFormation's AWS::MSK::Cluster has no
 * bootstrap-broker attribute). The relay gets the string as KAFKA_BROKERS, so it needs neither the MSK
 * control plane nor a PrivateLink endpoint for it at run time.
 * https://docs.aws.amazon.com/msk/1.0/apireference/clusters-clusterarn-bootstrap-brokers.html
 *
 * Freezing the string is safe: broker DNS names survive broker replacement, and a bootstrap list only
 * needs one reachable broker (clients learn the rest from metadata). It is looked up again on every
 * update of this resource, i.e. whenever the cluster ARN changes (a replaced cluster).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The GetBootstrapBrokers response field for SASL/IAM (port 9098). */
export const IAM_BROKERS_FIELD = 'BootstrapBrokerStringSaslIam';

export interface BootstrapBrokersProps {
  readonly clusterArn: string;
}

export class BootstrapBrokers extends Construct {
  readonly lookup: AwsCustomResource;
  /** Comma-separated host:port list (a deploy-time token). */
  readonly iamBrokers: string;

  constructor(scope: Construct, id: string, props: BootstrapBrokersProps) {
    super(scope, id);
    const call = {
      service: 'Kafka',
      action: 'GetBootstrapBrokers',
      parameters: { ClusterArn: props.clusterArn },
      physicalResourceId: PhysicalResourceId.of(props.clusterArn),
      // Only this field comes back to CloudFormation (its response size is limited).
      outputPaths: [IAM_BROKERS_FIELD],
    };
    this.lookup = new AwsCustomResource(this, 'Lookup', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [props.clusterArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.iamBrokers = this.lookup.getResponseField(IAM_BROKERS_FIELD);
  }
}
