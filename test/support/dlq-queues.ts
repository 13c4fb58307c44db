/**
 * The SQS side of the `dlq` CLI tests: queues created per test file and deleted together afterwards, a
 * message sent as a dead letter is, and the queue's visible depth as the CLI reads it.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../../functions/shared/aws-clients';
import { queueDepth } from '../../localstack/cli/dlq/queue';
import { createQueue, deleteQueue } from './isolated-resources';

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
