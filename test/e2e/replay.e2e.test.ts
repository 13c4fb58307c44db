/**
 * `replay` against the whole local pipeline (an isolated copy): the last hour of `payments` replayed
 * into notification through a temporary mapping under its own group. The replay really runs the function
 * over every record of the window (the count delivered is the topic's), and nothing is sent twice: no
 * new notification item, no new NotificationSent record, even with notification's idempotency records
 * gone (as after their expiry), because its conditional write is once-only too. The live mapping's group
 * does not move and the replay's group is deleted.
 */

import { DeleteItemCommand, GetItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Kafka, logLevel } from 'kafkajs';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { kafkaMappings } from '../../lib/topology';
import { runCli } from '../../localstack/cli/cli';
import { EXIT } from '../../localstack/cli/io';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import { captureIo } from '../support/capture-io';
import { useLocalBackends } from '../support/isolated-resources';
import { getOrder, placeOrder, waitForFinal } from '../support/pipeline-client';
import { uniqueName } from '../support/unique-name';

jest.setTimeout(240_000);

const prefix = `${uniqueName('replay')}-`;
let pipeline: Pipeline;
let kafka: Kafka;
const orderIds: string[] = [];

beforeAll(async () => {
  useLocalBackends();
  pipeline = await startPipeline({ prefix, apiPort: 0, retryBackoff: { baseMs: 20, capMs: 200 } });
  kafka = new Kafka({
    clientId: 'replay-e2e',
    brokers: [...pipeline.endpoints.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
});

async function scanAll(table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamoDb().send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return items;
}

async function withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

const highWatermarks = (topic: string) =>
  withAdmin(async (a) => (await a.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`).sort());
const committed = (groupId: string, topic: string) =>
  withAdmin(async (a) => {
    const [o] = await a.fetchOffsets({ groupId, topics: [topic] });
    return (o?.partitions ?? []).map((p) => `${p.partition}:${p.offset}`).sort();
  });

it('replays the last hour of payments into notification: every record delivered, nothing sent twice', async () => {
  const line = { sku: 'SKU-CABLE', quantity: 1, unitPrice: 999 };
  const orders = await Promise.all([
    placeOrder(pipeline.apiUrl, 'cust-replay-1', [line]),
    placeOrder(pipeline.apiUrl, 'cust-replay-2', [line]),
    placeOrder(pipeline.apiUrl, 'blocked-replay', [line]),
  ]);
  orderIds.push(...orders.map((o) => o.orderId));
  const finals = await Promise.all(orders.map((o) => waitForFinal(pipeline.apiUrl, o.orderId, 90_000, true)));
  expect(finals.map((f) => f.status).sort()).toEqual(['CANCELLED', 'CONFIRMED', 'CONFIRMED']);
  await pipeline.idle(60_000);

  const names = pipeline.names;
  const paymentsTopic = names.topic('payments');
  const paymentRecords = (await withAdmin((a) => a.fetchTopicOffsets(paymentsTopic))).reduce(
    (n, p) => n + Number(p.high) - Number(p.low),
    0,
  );
  expect(paymentRecords).toBe(3); // 2 PaymentAuthorized + 1 PaymentDeclined
  const notificationsBefore = await scanAll(names.table('notifications'));
  expect(notificationsBefore).toHaveLength(3);
  const sentBefore = await highWatermarks(names.topic('notifications'));
  const liveGroup = names.consumerGroup(
    kafkaMappings.find(
      (m) => m.function === 'notification' && m.topic === 'payments',
    ) as (typeof kafkaMappings)[number],
  );
  const liveBefore = await committed(liveGroup, paymentsTopic);

  // As if notification's idempotency records had expired: only its once-only write stands in the way.
  const idempotencyTable = names.table('idempotency');
  const notificationRecords = (await scanAll(idempotencyTable)).filter((r) => String(r.id).startsWith('notification#'));
  expect(notificationRecords.length).toBeGreaterThanOrEqual(3);
  for (const r of notificationRecords) {
    await dynamoDb().send(new DeleteItemCommand({ TableName: idempotencyTable, Key: { id: { S: String(r.id) } } }));
  }

  const c = captureIo({ ...process.env, PIPELINE_PREFIX: prefix });
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const code = await runCli(
    ['replay', 'notification', '--topic', 'payments', '--from', from, '--timeout', '120'],
    c.io,
  );
  expect({ code, err: c.err }).toMatchObject({ code: EXIT.ok });
  const report = c.out.join('\n');
  expect(report).toMatch(
    new RegExp(
      `^replayed 3 record\\(s\\) of ${paymentsTopic} \\(.+\\) into notification; 3 record\\(s\\) delivered in \\d+ invocation\\(s\\), 0 failed; mapping and group ${prefix}replay\\.notification\\.payments removed$`,
    ),
  );
  await pipeline.idle(60_000);

  expect(await scanAll(names.table('notifications'))).toHaveLength(3);
  expect(await highWatermarks(names.topic('notifications'))).toEqual(sentBefore);
  expect(await committed(liveGroup, paymentsTopic)).toEqual(liveBefore);
  const groups = await withAdmin(async (a) => (await a.listGroups()).groups.map((g) => g.groupId));
  expect(groups.filter((g) => g.startsWith(`${prefix}replay.`))).toEqual([]);
  // The replay ran the function: its idempotency records are back (one per replayed event it handles).
  const again = (await scanAll(idempotencyTable)).filter((r) => String(r.id).startsWith('notification#'));
  expect(again.length).toBe(notificationRecords.length);
});

it('refuses a function that does not consume the topic, and an unparseable --from', async () => {
  const c = captureIo({ ...process.env, PIPELINE_PREFIX: prefix });
  expect(await runCli(['replay', 'payment', '--topic', 'payments', '--from', '0'], c.io)).toBe(EXIT.usage);
  expect(c.err[0]).toBe('error: payment does not consume payments');
  expect(await runCli(['replay', 'notification', '--topic', 'payments', '--from', 'yesterday'], c.io)).toBe(EXIT.usage);
});

it('rebuild order-view: corrupted items are reported by --verify, rebuilt from the topics, and the API answers as before', async () => {
  expect(orderIds).toHaveLength(3);
  const before = await Promise.all(orderIds.map((id) => getOrder(pipeline.apiUrl, id)));
  const table = pipeline.names.table('orders');
  const [first, second] = orderIds as [string, string];
  // One order loses its status and history, another gets a wrong status and loses its last steps.
  await dynamoDb().send(
    new UpdateItemCommand({
      TableName: table,
      Key: { pk: { S: `ORDER#${first}` }, sk: { S: 'ORDER' } },
      UpdateExpression: 'SET #s = :s, history = :h',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'PENDING' }, ':h': { L: [] } },
    }),
  );
  const secondItem = await dynamoDb().send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: `ORDER#${second}` }, sk: { S: 'ORDER' } } }),
  );
  const secondHistory = (secondItem.Item?.history?.L ?? []).slice(0, 1);
  await dynamoDb().send(
    new UpdateItemCommand({
      TableName: table,
      Key: { pk: { S: `ORDER#${second}` }, sk: { S: 'ORDER' } },
      UpdateExpression: 'SET #s = :s, history = :h',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': { S: 'REJECTED' },
        ':h': { L: secondHistory },
      },
    }),
  );
  expect((await getOrder(pipeline.apiUrl, first))?.status).toBe('PENDING');

  const cli = async (...argv: string[]) => {
    const c = captureIo({ ...process.env, PIPELINE_PREFIX: prefix });
    return { code: await runCli(argv, c.io), out: c.out, err: c.err };
  };
  const verify = await cli('rebuild', 'order-view', '--verify');
  expect(verify.code).toBe(EXIT.failed);
  expect(verify.out.filter((l) => l.startsWith(first) || l.startsWith(second))).toHaveLength(2);
  expect(verify.out.find((l) => l.startsWith(first))).toMatch(
    /status PENDING → (CONFIRMED|CANCELLED); history lacks OrderCreated:/,
  );
  expect(verify.out.at(-1)).toMatch(/^2 of \d+ order\(s\) differ from the topics$/);

  const rebuilt = await cli('rebuild', 'order-view');
  expect(rebuilt.code).toBe(EXIT.ok);
  expect(rebuilt.out.at(-1)).toMatch(/: 2 rewritten, /);
  const after = await Promise.all(orderIds.map((id) => getOrder(pipeline.apiUrl, id)));
  const shown = (v: typeof before) => v.map((o) => ({ status: o?.status, history: o?.history }));
  expect(shown(after)).toEqual(shown(before));
  expect((await cli('rebuild', 'order-view', '--verify')).code).toBe(EXIT.ok);
});
