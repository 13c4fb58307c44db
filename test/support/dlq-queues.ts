/**
 * The set-up of the `dlq` CLI tests: queues (and topics) created per test file and deleted together
 * afterwards, a message sent as a dead letter is, and the queue's visible depth as the CLI reads it.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../../functions/shared/aws-clients';
import { queueDepth } from '../../localstack/cli/dlq/queue';
import { requireBackends } from './backends';
import { createQueue, createTopic, deleteQueue, deleteTopic } from './isolated-resources';
import { type SagaFixture, sagaFixture } from './saga-fixture';
import { uniqueName } from './unique-name';

export interface TrackedQueues {
  /** Creates the queue and remembers it for `deleteAll`; returns its URL. */
  create(name: string): Promise<string>;
  deleteAll(): Promise<void>;
}

export function trackedQueues(): TrackedQueues {
  const urls: string[] = [];
  return {
    async create(name) {
      const url = await createQueue(name);
      urls.push(url);
      return url;
    },
    async deleteAll() {
      await Promise.all(urls.map(deleteQueue));
    },
  };
}

export const sendToQueue = async (url: string, body: string) =>
  (await sqsClient()).send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

export const visibleMessages = async (url: string) => (await queueDepth(await sqsClient(), url)).visible;

/** What a `dlq` CLI test file works in: see `useDlqTestBed`. */
export interface DlqTestBed {
  /** Every queue and topic name of the file starts with it (ends with "-"). */
  readonly prefix: string;
  /** The inventory saga fixture: the real handler, its tables and its DLQ (set once beforeAll has run). */
  readonly fixture: SagaFixture;
  /** Creates a queue (deleted after the file); returns its URL. */
  newQueue(name: string): Promise<string>;
  /** Creates a topic (deleted after the file). */
  newTopic(name: string, partitions: number): Promise<void>;
}

/**
 * Registers the file's beforeAll/afterAll: the backends checked, the inventory saga fixture up, and
 * everything made through the bed removed afterwards, so each `dlq` test file sets up the same way.
 */
export function useDlqTestBed(label: string): DlqTestBed {
  const prefix = `${uniqueName(label)}-`;
  const queues = trackedQueues();
  const topics: string[] = [];
  let fixture: SagaFixture | undefined;
  beforeAll(async () => {
    await requireBackends('kafka', 'sqs', 'dynamodb');
    fixture = await sagaFixture('inventory');
  });
  afterAll(async () => {
    await Promise.all([...topics.map(deleteTopic), queues.deleteAll()]);
    await fixture?.teardown();
  });
  return {
    prefix,
    get fixture() {
      if (!fixture) throw new Error('the saga fixture is set up in beforeAll');
      return fixture;
    },
    newQueue: (name) => queues.create(name),
    async newTopic(name, partitions) {
      await createTopic(name, partitions);
      topics.push(name);
    },
  };
}
