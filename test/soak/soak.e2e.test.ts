/**
 * The soak tool in miniature (what CI can afford): a few orders, a relay outage and an environment kill
 * taking turns every two seconds, the books, and the report file with its figures.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SoakReport, soak, writeReport } from './soak';

jest.setTimeout(240_000);

it('sends the orders, injects faults that fire, and reports books without a lost or duplicated order', async () => {
  const report = await soak(
    {
      orders: 15,
      rate: 3,
      faults: ['relay-outage', 'environment-kill'],
      faultEverySeconds: 2,
      settleSeconds: 120,
      out: 'unused',
    },
    () => undefined,
  );
  expect(report.orders.sent).toBe(15);
  // Posted like a client that retries with its Idempotency-Key: every order is taken and acknowledged.
  expect(report.orders).toMatchObject({ accepted: 15, refused: 0, unacknowledged: 0 });
  expect(report.faults.count).toBeGreaterThanOrEqual(2);
  expect(report.faults.failedToInject).toBe(0);
  const kinds = (report.faults.list as { kind: string; evidence: Record<string, number> }[]).map((f) => f.kind);
  expect(kinds.slice(0, 2)).toEqual(['relay-outage', 'environment-kill']);
  const relay = (report.faults.list as { kind: string; evidence: Record<string, number> }[]).find(
    (f) => f.kind === 'relay-outage',
  );
  expect(relay?.evidence.refused).toBeGreaterThanOrEqual(1);
  expect(report).toMatchObject({ lost: 0, duplicated: 0, incomplete: 0, stockMismatches: 0, dlqd: 0 });
  expect(Object.values(report.byStatus).reduce((a, b) => a + b, 0)).toBe(report.orders.accepted);

  const file = writeReport(report, join(tmpdir(), `soak-${process.pid}.json`));
  const written = JSON.parse(readFileSync(file, 'utf8')) as SoakReport;
  expect(Object.keys(written)).toEqual(
    expect.arrayContaining(['orders', 'faults', 'lost', 'duplicated', 'expired', 'dlqd', 'durationSeconds']),
  );
});
