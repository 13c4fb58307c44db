/**
 * The Kafka producer behind a small interface. kafkajs, idempotent, acks=all, one in-flight request
 * (so retries cannot reorder a key's records), keyed, with headers. The connection is created once per
 * execution environment and reused across invocations (MSK IAM limits new connections per broker).
 * Brokers: KAFKA_BROKERS, or MSK_CLUSTER_ARN (bootstrap brokers looked up with kafka:GetBootstrapBrokers;
 * the CLI's way from a laptop). Auth: KAFKA_AUTH — `none` (plain TCP, local/Redpanda; the default with
 * KAFKA_BROKERS) or `iam` (TLS + SASL/OAUTHBEARER via aws-msk-iam-sasl-signer-js; the default and the
 * only choice with MSK_CLUSTER_ARN). In AWS the relay gets KAFKA_BROKERS resolved at deploy time and
 * KAFKA_AUTH=iam, so it never calls the MSK control plane: the same code path as locally, plus TLS/IAM.
 */
import { Kafka, type KafkaConfig, logLevel, Partitioners, type Producer } from 'kafkajs';
import { ConfigError } from './config';
import { lookupIamBootstrapBrokers, mskIamSasl, regionOfArn, splitBrokers } from './msk-iam';

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

const KAFKA_AUTH_MODES = ['none', 'iam'] as const;
export type KafkaAuth = (typeof KAFKA_AUTH_MODES)[number];

export interface KafkaConnectionSettings {
  readonly clientId: string;
  /** Comma-separated host:port list. */
  readonly brokers?: string;
  /** MSK cluster ARN, when no brokers are given: IAM bootstrap brokers looked up from the cluster. */
  readonly mskClusterArn?: string;
  /** Defaults to `none` with brokers, `iam` with a cluster ARN. */
  readonly auth?: KafkaAuth;
  /** Region the IAM tokens are signed for (and of the lookup); defaults to the cluster ARN's. */
  readonly region?: string;
  readonly connectionTimeoutMs?: number;
}

export function kafkaSettingsFromEnv(clientId: string, env = process.env): KafkaConnectionSettings {
  const brokers = env.KAFKA_BROKERS?.trim() || undefined;
  const mskClusterArn = env.MSK_CLUSTER_ARN?.trim() || undefined;
  if (!brokers && !mskClusterArn) {
    throw new ConfigError('Missing Kafka configuration: set KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN');
  }
  const rawAuth = env.KAFKA_AUTH?.trim();
  if (rawAuth && !(KAFKA_AUTH_MODES as readonly string[]).includes(rawAuth)) {
    throw new ConfigError(`KAFKA_AUTH must be one of ${KAFKA_AUTH_MODES.join(', ')}, got "${rawAuth}"`);
  }
  const auth = (rawAuth || undefined) as KafkaAuth | undefined;
  if (!brokers && auth === 'none') {
    throw new ConfigError('KAFKA_AUTH=none needs KAFKA_BROKERS: MSK_CLUSTER_ARN is looked up and used with IAM auth');
  }
  return { clientId, brokers, mskClusterArn, auth, region: env.AWS_REGION?.trim() || undefined };
}

/**
 * The kafkajs configuration for these settings: the given brokers or the cluster's IAM bootstrap
 * brokers; for IAM, TLS and SASL/OAUTHBEARER tokens signed for the region. Throws ConfigError when IAM
 * has no region or the cluster has no IAM bootstrap brokers. Also used by the CLI
 * (localstack/cli/target.ts), which overrides the client id, log level and retries.
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
  const auth = s.auth ?? (s.brokers ? 'none' : 'iam');
  const region = s.region ?? (s.mskClusterArn ? regionOfArn(s.mskClusterArn) : undefined);
  if (s.brokers && auth === 'none') return { ...common, brokers: splitBrokers(s.brokers) };
  if (!region) throw new ConfigError('KAFKA_AUTH=iam needs AWS_REGION (the region the MSK IAM tokens are signed for)');
  const brokers = s.brokers ? splitBrokers(s.brokers) : await lookupIamBootstrapBrokers(s.mskClusterArn ?? '', region);
  return { ...common, brokers, ssl: true, sasl: mskIamSasl(region) };
}

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
