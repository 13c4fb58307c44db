/**
 * Smoke test of the SQS server (ElasticMQ locally): a queue with a redrive policy to a DLQ;
 * send/receive/delete; a message received more than maxReceiveCount times lands in the DLQ.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { requireBackends } from '../support/backends';
import { uniqueName } from '../support/unique-name';

const sqs = new SQSClient({});
const name = uniqueName('smoke-sqs');
const MAX_RECEIVE_COUNT = 2;
let queueUrl = '';
let dlqUrl = '';

beforeAll(async () => {
  await requireBackends('sqs');
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl ?? '';
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  expect(dlqArn).toMatch(/^arn:aws:sqs:/);
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
      },
    }),
  );
  queueUrl = created.QueueUrl ?? '';
}, 30_000);

afterAll(async () => {
  for (const url of [queueUrl, dlqUrl]) {
    if (url) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
  }
  sqs.destroy();
});

const receive = (url: string, waitSeconds: number) =>
  sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      WaitTimeSeconds: waitSeconds,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );

test('send, receive and delete a message', async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }));
  const { Messages = [] } = await receive(queueUrl, 5);
  expect(Messages.map((m) => m.Body)).toEqual(['{"hello":"world"}']);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle }));
  // Deleted: it does not come back once the visibility timeout has passed.
  await new Promise((r) => setTimeout(r, 1500));
  expect((await receive(queueUrl, 1)).Messages ?? []).toHaveLength(0);
}, 30_000);

test('a message received more than maxReceiveCount times moves to the DLQ', async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
  const counts: string[] = [];
  // Receive it without deleting until it stops coming back (each visibility timeout is 1 s).
  for (let attempt = 0; attempt < 10; attempt++) {
    const { Messages = [] } = await receive(queueUrl, 2);
    if (Messages.length === 0 && counts.length >= MAX_RECEIVE_COUNT) break;
    for (const m of Messages) counts.push(m.Attributes?.ApproximateReceiveCount ?? '?');
    await new Promise((r) => setTimeout(r, 1100));
  }
  expect(counts).toEqual(['1', '2']);
  const { Messages: dead = [] } = await receive(dlqUrl, 5);
  expect(dead.map((m) => m.Body)).toEqual(['poison']);
  expect((await receive(queueUrl, 1)).Messages ?? []).toHaveLength(0);
}, 60_000);
