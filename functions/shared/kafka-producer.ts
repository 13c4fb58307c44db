/**
 * The Kafka producer behind a small interface. kafkajs, idempotent, acks=all, one in-flight request
 * (so retries cannot reorder a key's records), keyed, with headers. The connection is created once per
 * execution environment and reused across invocations (MSK IAM limits new connections per broker).
 * Brokers: KAFKA_BROKERS (plain TCP, local/Redpanda) or MSK_CLUSTER_ARN (bootstrap brokers looked up
 * with kafka:GetBootstrapBrokers, SASL/OAUTHBEARER IAM auth over TLS via aws-msk-iam-sasl-signer-js).
 */
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Kafka, type KafkaConfig, logLevel, Partitioners, type Producer } from 'kafkajs';
import { ConfigError } from './config';

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface EventPublisher {
  /** Publishes all messages (acks=all); resolves only when every one is durably written. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface KafkaConnectionSettings {
  readonly clientId: string;
  /** Comma-separated host:port list (plain TCP). */
  readonly brokers?: string;
  /** MSK cluster ARN: IAM auth over TLS; brokers looked up from the cluster. */
  readonly mskClusterArn?: string;
  readonly region?: string;
  readonly connectionTimeoutMs?: number;
}

export function kafkaSettingsFromEnv(clientId: string, env = process.env): KafkaConnectionSettings {
  const brokers = env.KAFKA_BROKERS?.trim();
  const mskClusterArn = env.MSK_CLUSTER_ARN?.trim();
  if (!brokers && !mskClusterArn) {
    throw new ConfigError('Missing Kafka configuration: set KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN');
  }
  return { clientId, brokers, mskClusterArn, region: env.AWS_REGION };
}

/**
 * The kafkajs configuration for these settings: plain brokers, or for an MSK cluster its IAM bootstrap
 * brokers (kafka:GetBootstrapBrokers), TLS and SASL/OAUTHBEARER tokens from the signer, in the cluster's
 * region unless one is given. Throws ConfigError when the cluster has no IAM bootstrap brokers. Also used
 * by the CLI (localstack/cli/target.ts), which overrides the client id, log level and retries.
 */
export async function kafkaConfig(s: KafkaConnectionSettings): Promise<KafkaConfig> {
  const common = {
    clientId: s.clientId,
    connectionTimeout: s.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.WARN,
    // Bounded (kafkajs warns that this weakens the idempotent producer's guarantee): an unreachable broker
    // fails the batch in seconds and the event source mapping retries it; consumers dedupe by eventId.
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
  };
  if (s.brokers) return { ...common, brokers: s.brokers.split(',').map((b) => b.trim()) };
  const region = s.region ?? regionOfArn(s.mskClusterArn ?? '');
  const client = new KafkaClient({ region });
  let brokers: string | undefined;
  try {
    const out = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: s.mskClusterArn }));
    brokers = out.BootstrapBrokerStringSaslIam;
  } finally {
    client.destroy();
  }
  if (!brokers) throw new ConfigError(`MSK cluster ${s.mskClusterArn} has no IAM bootstrap brokers (is IAM auth on?)`);
  return {
    ...common,
    brokers: brokers.split(','),
    ssl: true,
    sasl: {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }),
    },
  };
}

const regionOfArn = (arn: string): string => arn.split(':')[3] ?? 'us-east-1';

export function createKafkaPublisher(settings: KafkaConnectionSettings): EventPublisher {
  let producer: Promise<Producer> | undefined;

  const connect = async (): Promise<Producer> => {
    const kafka = new Kafka(await kafkaConfig(settings));
    const p = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java's murmur2 partitioner: a key lands on the partition any Kafka client would pick.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await p.connect();
    return p;
  };

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      producer ??= connect();
      try {
        const p = await producer;
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
        await p.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, ms]) => ({
            topic,
            messages: ms.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
          })),
        });
      } catch (err) {
        // A broken connection is rebuilt on the next call instead of failing every invocation after.
        const broken = producer;
        producer = undefined;
        await broken?.then((p) => p.disconnect()).catch(() => undefined);
        throw err;
      }
    },
    async disconnect() {
      const p = producer;
      producer = undefined;
      await p?.then((x) => x.disconnect()).catch(() => undefined);
    },
  };
}
