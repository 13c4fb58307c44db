/**
 * A fault-injecting HTTP proxy in front of DynamoDB Local. Functions are pointed at it through
 * AWS_ENDPOINT_URL_DYNAMODB (configuration only: no product code knows about it) and it answers chosen
 * requests with the throttling error DynamoDB itself sends, so the SDK's retries and the functions'
 * transient-failure paths run for real.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoDbCall {
  /** e.g. 'TransactWriteItems', from the X-Amz-Target header. */
  readonly operation: string;
  readonly body: string;
}

/** Item writes per operation (a TransactWriteItems of n items counts n). */
export type WriteCounts = Record<string, number>;
/** Read requests per operation (a BatchGetItem / TransactGetItems of n keys counts n; a Query or Scan 1). */
export type ReadCounts = Record<string, number>;

export interface FaultProxy {
  readonly url: string;
  /** Calls answered with a throttling error so far. */
  readonly injected: () => number;
  /** Item writes forwarded so far (throttled calls are not counted: they wrote nothing). Give each
   * function its own proxy to count writes per function. */
  readonly writes: () => WriteCounts;
  /** Reads forwarded so far, counted like `writes`. */
  readonly reads: () => ReadCounts;
  /** Replace the rule deciding which calls fail (return true to throttle the call). */
  setRule(rule: (call: DynamoDbCall) => boolean): void;
  /**
   * Runs after DynamoDB answered a forwarded call and before the answer is passed on: the write is done
   * but the caller does not know yet (e.g. kill the caller there, as a crash right after a commit).
   */
  setAfterForward(hook: (call: DynamoDbCall, statusCode: number) => void | Promise<void>): void;
  close(): Promise<void>;
}

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded (injected by the test proxy)',
});

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export async function startFaultProxy(
  target: string,
  rule: (call: DynamoDbCall) => boolean = () => false,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  let current = rule;
  let afterForward: (call: DynamoDbCall, statusCode: number) => void | Promise<void> = () => undefined;
  let injected = 0;
  const writes: WriteCounts = {};
  const reads: ReadCounts = {};
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const text = body.toString('utf8');
    if (current({ operation, body: text })) {
      injected++;
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${injected}` });
      res.end(THROTTLED);
      return;
    }
    countWrites(writes, operation, text);
    countReads(reads, operation, text);
    const forward = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        void Promise.resolve(afterForward({ operation, body: text }, up.statusCode ?? 502))
          .catch(() => undefined)
          .then(() => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          });
      },
    );
    forward.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected: () => injected,
    writes: () => structuredClone(writes),
    reads: () => structuredClone(reads),
    setRule(rule) {
      current = rule;
    },
    setAfterForward(hook) {
      afterForward = hook;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function countWrites(into: WriteCounts, operation: string, body: string): void {
  let n = 0;
  if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') n = 1;
  else if (operation === 'TransactWriteItems')
    n = (JSON.parse(body) as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
  else if (operation === 'BatchWriteItem') {
    const items = (JSON.parse(body) as { RequestItems?: Record<string, unknown[]> }).RequestItems ?? {};
    n = Object.values(items).reduce((sum, list) => sum + list.length, 0);
  }
  if (n === 0) return;
  into[operation] = (into[operation] ?? 0) + n;
}

function countReads(into: ReadCounts, operation: string, body: string): void {
  let n = 0;
  if (operation === 'GetItem' || operation === 'Query' || operation === 'Scan') n = 1;
  else if (operation === 'TransactGetItems')
    n = (JSON.parse(body) as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
  else if (operation === 'BatchGetItem') {
    const items = (JSON.parse(body) as { RequestItems?: Record<string, { Keys?: unknown[] }> }).RequestItems ?? {};
    n = Object.values(items).reduce((sum, t) => sum + (t.Keys?.length ?? 0), 0);
  }
  if (n === 0) return;
  into[operation] = (into[operation] ?? 0) + n;
}
