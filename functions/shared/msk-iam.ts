/**
 * Amazon MSK with IAM access control, as kafkajs needs it: TLS, SASL/OAUTHBEARER with tokens from
 * aws-msk-iam-sasl-signer-js (a base64url SigV4-presigned `kafka-cluster:Connect` URL, valid up to
 * 900 s, signed with the function's own credentials), and, where only a cluster ARN is known (the
 * CLI from a laptop), the IAM bootstrap brokers from kafka:GetBootstrapBrokers.
 * https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html
 * https://docs.aws.amazon.com/msk/1.0/apireference/clusters-clusterarn-bootstrap-brokers.html
 */
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import type { SASLOptions } from 'kafkajs';
import { ConfigError } from './config';

/** The SASL options for IAM: kafkajs asks the provider for a token on every (re)authentication. */
export function mskIamSasl(region: string): SASLOptions {
  return {
    mechanism: 'oauthbearer',
    oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }),
  };
}

/** The region of an ARN (`arn:aws:kafka:<region>:…`), or undefined when it has none. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}

/**
 * The cluster's IAM bootstrap brokers (`BootstrapBrokerStringSaslIam`, port 9098). Throws ConfigError
 * when the cluster has none (IAM access control off), naming the cluster.
 */
export async function lookupIamBootstrapBrokers(
  clusterArn: string,
  region: string,
  client: KafkaClient = new KafkaClient({ region }),
): Promise<string[]> {
  let brokers: string | undefined;
  try {
    const out = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }));
    brokers = out.BootstrapBrokerStringSaslIam;
  } finally {
    client.destroy();
  }
  if (!brokers) throw new ConfigError(`MSK cluster ${clusterArn} has no IAM bootstrap brokers (is IAM auth on?)`);
  return splitBrokers(brokers);
}

export const splitBrokers = (list: string): string[] =>
  list
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
