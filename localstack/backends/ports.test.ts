import { createServer, type Server } from 'node:net';
import { describeHolders, isListening, portHolders } from './ports';

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a listening port is seen as taken, and this process is named as its holder', async () => {
  expect(await isListening('127.0.0.1', port)).toBe(true);
  const holders = portHolders(port);
  expect(holders.map((h) => h.pid)).toContain(process.pid);
  expect(describeHolders(port)).toContain(`pid ${process.pid} (`);
});

test('a closed port is free and has no holder', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closed = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  expect(await isListening('127.0.0.1', closed)).toBe(false);
  expect(portHolders(closed)).toEqual([]);
});
