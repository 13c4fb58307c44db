/**
 * The local dashboard in a real browser (Debian's chromium via playwright-core) over the whole local
 * pipeline: every widget of the shared list is drawn and gets new datapoints, the traffic widgets show
 * the orders posted, and a poison record moves the DLQ widget and the dead-letter metric.
 * `DASHBOARD_SCREENSHOT=reports/local-dashboard.png` also saves a screenshot (npm run dashboard:screenshot).
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DASHBOARD_WIDGETS } from '../../lib/monitoring/widgets';
import { ensureChromium } from '../../test/support/chromium';
import { useLocalBackends } from '../../test/support/isolated-resources';
import { placeOrder } from '../../test/support/pipeline-client';
import { uniqueName } from '../../test/support/unique-name';
import { type Pipeline, startPipeline } from '../runner/pipeline';
import { dashboardHooks, type RunningDashboard } from './attach';

jest.setTimeout(180_000);

const browserFound = ensureChromium();
if (browserFound.path === undefined) console.warn(`SKIPPED local dashboard browser test: ${browserFound.reason}`);
const describeWithBrowser = browserFound.path ? describe : describe.skip;

let pipeline: Pipeline | undefined;
let board: RunningDashboard | undefined;
let browser: Browser | undefined;
let page: Page;

interface WidgetState {
  readonly points: number;
  readonly total: number;
  readonly asOf: number;
  /** Latest value per series label, as the page prints it. */
  readonly latest: Record<string, string>;
}

/** The little of the DOM read here (the project compiles without the DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  querySelector(selector: string): PageElement | null;
  readonly textContent: string | null;
}

async function widgets(): Promise<Record<string, WidgetState>> {
  return page.$$eval('.widget', (boxes) =>
    Object.fromEntries(
      (boxes as unknown as PageElement[]).map((el) => {
        const latest: Record<string, string> = {};
        for (const s of Array.from(el.querySelectorAll('.latest span'))) {
          latest[s.getAttribute('data-series') ?? ''] = s.querySelector('b')?.textContent ?? '';
        }
        return [
          el.getAttribute('data-widget-id') ?? '',
          {
            points: Number(el.getAttribute('data-points') ?? 0),
            total: Number(el.getAttribute('data-total') ?? 0),
            asOf: Number(el.getAttribute('data-as-of') ?? 0),
            latest,
          },
        ];
      }),
    ),
  );
}

async function waitFor(what: string, ok: (w: Record<string, WidgetState>) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, WidgetState> = {};
  while (Date.now() < deadline) {
    last = await widgets();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`dashboard: timed out waiting for ${what}; widgets: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  if (!browserFound.path) return;
  useLocalBackends();
  const hooks = dashboardHooks({ sampleEveryMs: 1000 });
  pipeline = await startPipeline({
    prefix: `${uniqueName('dash')}-`,
    apiPort: 0,
    retryBackoff: { baseMs: 20, capMs: 200 },
    sagaDeadlines: { reconcileEverySeconds: 2 },
    ...hooks.pipelineOptions,
    functionEnv: () => ({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_LOG_LEVEL: 'WARN' }),
  });
  board = await hooks.start(pipeline, 0);
  browser = await chromium.launch({ executablePath: browserFound.path, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(board.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await board?.stop();
  await pipeline?.stop();
});

const line = (sku: string) => ({ sku, quantity: 1, unitPrice: 1999 });
/** Widgets the orders posted below must fill with non-zero values. */
const TRAFFIC_WIDGETS = [
  'api-requests',
  'api-latency',
  'orders-by-outcome',
  'saga-duration',
  'events-published',
  'fn-invocations',
  'fn-duration-p99',
  'fn-concurrency',
];

describeWithBrowser('local dashboard in chromium', () => {
  it('draws every widget of the shared list as a plot, in the shared order', async () => {
    await page.waitForSelector('.widget canvas');
    const ids = await page.$$eval('.widget', (els) =>
      (els as unknown as PageElement[]).map((e) => e.getAttribute('data-widget-id')),
    );
    expect(ids).toEqual(DASHBOARD_WIDGETS.map((w) => w.id));
    expect(await page.$$eval('.widget canvas', (c) => c.length)).toBeGreaterThanOrEqual(DASHBOARD_WIDGETS.length);
  });

  it('shows the orders posted in every traffic widget, and every widget gets new datapoints', async () => {
    const before = await waitFor('first data', (w) => Object.values(w).every((s) => s.asOf > 0));
    // Nothing was ordered yet (the reconciler's timer already shows in the function widgets).
    for (const id of ['api-requests', 'orders-by-outcome', 'events-published']) {
      expect({ id, total: before[id]?.total }).toEqual({ id, total: 0 });
    }

    const api = (pipeline as Pipeline).apiUrl;
    await Promise.all([
      placeOrder(api, 'cust-dash', [line('SKU-KEYBOARD')]),
      placeOrder(api, 'cust-dash', [line('SKU-MOUSE')]),
      placeOrder(api, 'cust-dash', [line('SKU-SOLDOUT')]),
      placeOrder(api, 'blocked-1', [line('SKU-KEYBOARD')]),
    ]);
    const after = await waitFor(
      'traffic widgets to move and every widget to get a new bucket',
      (w) =>
        TRAFFIC_WIDGETS.every((id) => (w[id]?.total ?? 0) > (before[id]?.total ?? 0)) &&
        DASHBOARD_WIDGETS.every((x) => (w[x.id]?.asOf ?? 0) > (before[x.id]?.asOf ?? 0)),
    );
    for (const w of DASHBOARD_WIDGETS) {
      const state = after[w.id] as WidgetState;
      expect({ id: w.id, hasPoints: state.points > 0, advanced: state.asOf > (before[w.id]?.asOf ?? 0) }).toEqual({
        id: w.id,
        hasPoints: true,
        advanced: true,
      });
    }
    const outcomes = await waitFor('the saga outcomes', (w) => {
      const l = w['orders-by-outcome']?.latest ?? {};
      return l.created !== '–' && (w['orders-by-outcome']?.total ?? 0) >= 8;
    });
    expect(outcomes['orders-by-outcome']?.total).toBeGreaterThanOrEqual(8); // 4 created + 4 ended
  });

  it('moves the DLQ widget and the dead-letter metric on a poison record', async () => {
    const before = await widgets();
    expect(before['dlq-depth']?.total).toBe(0);
    expect(before['records-dead-lettered']?.total).toBe(0);
    const p = pipeline as Pipeline;
    const producer = new Kafka({
      clientId: 'dash-poison',
      brokers: [...p.endpoints.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    await producer.send({ topic: p.names.topic('inventory'), messages: [{ key: 'poison', value: 'not json' }] });
    await producer.disconnect();
    const after = await waitFor('the poison record in the DLQ and dead-letter widgets', (w) => {
      const dlq = w['dlq-depth']?.latest ?? {};
      const dead = w['records-dead-lettered']?.latest ?? {};
      return Number(dlq['payment-dlq']) > 0 && Number(dead.payment) > 0;
    });
    // inventory's topic is read by payment, notification and order-view: each dead-letters it once.
    for (const q of ['payment-dlq', 'notification-dlq', 'order-view-dlq']) {
      await waitFor(`${q} depth`, (w) => Number(w['dlq-depth']?.latest[q]) === 1);
    }
    expect(after['records-dead-lettered']?.total).toBeGreaterThan(0);

    const shot = process.env.DASHBOARD_SCREENSHOT;
    if (shot) {
      mkdirSync(dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
    }
  });
});
