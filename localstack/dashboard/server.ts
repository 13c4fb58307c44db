/**
 * The local dashboard's web server: the page (page/), uPlot from node_modules (served as shipped, no
 * CDN and no build step), the widget list (GET /api/widgets) and the live data (GET /api/data).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { type LocalMetrics, localWidgetList } from './local-metrics';

const PAGE_DIR = join(__dirname, 'page');
// uplot's main entry is dist/uPlot.cjs.js; the browser build and stylesheet sit beside it.
const UPLOT_DIR = dirname(require.resolve('uplot'));

const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: join(PAGE_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: join(PAGE_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/uplot.js': { file: join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/uplot.css': { file: join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDashboardServer(options: {
  readonly metrics: LocalMetrics;
  readonly host?: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Shown in the page header (e.g. the API URL). */
  readonly subtitle?: string;
}): Promise<DashboardServer> {
  const widgets = JSON.stringify({ subtitle: options.subtitle ?? '', sections: localWidgetList() });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/api/widgets') return send(200, 'application/json', widgets);
    if (url.pathname === '/api/data') {
      const minutes = Math.min(15, Math.max(1, Number(url.searchParams.get('minutes') ?? 5) || 5));
      return send(200, 'application/json', JSON.stringify(options.metrics.data(minutes)));
    }
    const asset = STATIC[url.pathname];
    if (!asset) return send(404, 'text/plain', 'not found');
    readFile(asset.file).then(
      (body) => send(200, asset.type, body),
      (err: Error) => send(500, 'text/plain', err.message),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`dashboard: port ${options.port} on ${host} is already in use (set DASHBOARD_PORT)`)
          : err,
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
