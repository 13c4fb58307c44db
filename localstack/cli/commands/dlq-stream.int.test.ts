/**
 * `dlq list` and `dlq redrive` of a DynamoDB Streams failure record, against the real local servers: the
 * record is built by the runner's failure-record code for records really in the orders table's stream,
 * and the redrive publishes the outbox items in that range as the relay would.
 */

import { PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../../../functions/shared/aws-clients';
import { outboxPut } from '../../../functions/shared/outbox';
import { runCliCaptured } from '../../../test/support/capture-io';
import { sendToQueue as send, useDlqTestBed, visibleMessages as visible } from '../../../test/support/dlq-queues';
import { readTopic, shardRecords, tableStreamArn } from '../../../test/support/isolated-resources';
import { orderCreated } from '../../../test/support/saga-fixture';
import { relayedHeaders } from '../../../test/support/schema-ids';
import { until } from '../../../test/support/until';
import { streamFailureRecord } from '../../runner/esm/failure-record';
import { EXIT } from '../io';

jest.setTimeout(90_000);

const bed = useDlqTestBed('clis');
const { prefix, newQueue } = bed;
const cli = (...argv: string[]) => runCliCaptured(argv);

describe('dlq redrive of a DynamoDB Streams failure record', () => {
  it('reads the shard range back and publishes the outbox items in it as the relay would', async () => {
    const url = await newQueue(`${prefix}relay-dlq`);
    const relayTopic = `${prefix}relayed`;
    await bed.newTopic(relayTopic, 1);
    const table = bed.fixture.tables.orders;
    const event = orderCreated([{ sku: 'SKU-BULK-001', quantity: 1 }]);
    // An order item (not relayed) and then an outbox item, both in the range the relay failed on.
    await dynamoDb().send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({ pk: `ORDER#${event.orderId}`, sk: 'ORDER', entityType: 'ORDER' }),
      }),
    );
    await dynamoDb().send(
      new TransactWriteItemsCommand({ TransactItems: [outboxPut(table, { event, topic: relayTopic })] }),
    );

    const streamArn = await tableStreamArn(table);
    const shard = await until('both writes in the stream', async () =>
      (await shardRecords(streamArn)).find((s) => s.records.length >= 2),
    );
    const shardId = shard.shardId;
    const records = shard.records.slice(-2);
    const refs = records.map((r) => ({
      lane: shardId,
      position: BigInt(r.dynamodb?.SequenceNumber ?? '0'),
      sequenceNumber: r.dynamodb?.SequenceNumber ?? '0',
      approximateCreationSeconds: Math.floor(Date.now() / 1000),
    }));
    await send(
      url,
      JSON.stringify(
        streamFailureRecord({
          exhaustion: {
            records: refs,
            condition: 'RetryAttemptsExhausted',
            approximateInvokeCount: 11,
            last: { ok: false, errorType: 'KafkaJSConnectionError', errorMessage: 'down', requestId: 'r' },
          },
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:outbox-relay',
          streamArn,
        }),
      ),
    );

    const listed = await cli('dlq', 'list', url);
    expect(listed.out.join('\n')).toContain(
      `records shard ${shardId} sequence ${refs[0]?.sequenceNumber}..${refs[1]?.sequenceNumber}`,
    );

    const r = await cli('dlq', 'redrive', url);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out[0]).toContain(`re-published 1 record(s) to ${relayTopic}`);
    expect(r.err).toContain(
      "  note: 1 stream record(s) in the range are not outbox inserts (skipped, as the relay's filter does)",
    );
    expect(await visible(url)).toBe(0);
    const onTopic = await readTopic(relayTopic, 1);
    expect(onTopic[0]?.key).toBe(event.orderId);
    expect(JSON.parse(onTopic[0]?.value ?? '')).toEqual(event);
    // Stamped as the relay does, with the registry twin's id for this copy.
    expect(onTopic[0]?.headers).toEqual(relayedHeaders(event));
  });
});
