/**
 * Top self-time items of V8 CPU profiles (`node --cpu-prof`), grouped by package or project folder, so a
 * profile of the local pipeline says where its CPU goes: the functions' code, the AWS SDK, Powertools,
 * kafkajs, the twins (localstack/runner), the proxies, Node itself. Without an argument it first runs
 * the e2e benchmark (BENCH_RATE, BENCH_SECONDS, default 20 s) under `--cpu-prof` (the runner's main thread
 * and every worker thread, i.e. every function environment, write a profile). Writes reports/bench/profile.json.
 * Run: npm run bench -- profile     (or: npx tsx bench/profile.bench.ts <folder of .cpuprofile files>)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './report';
import { SMOKE, sizesOf } from './sizes';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives: an npm package, a folder of this project, or Node / V8 itself. */
export function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const project = url.match(/\/(functions|localstack|test|bench|lib)\/([^/]+)/);
  if (project) return `${project[1]}/${project[2]}`;
  const bundle = url.match(/\.local\/[^/]+\/([^/]+)\//);
  return bundle ? `bundle ${bundle[1]}` : url;
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** The original source of a frame in a function bundle (the runner bundles with source maps), else its url. */
function originalUrl(frame: ProfileNode['callFrame']): string {
  if (!frame.url.endsWith('.js') || frame.url.includes('node_modules')) return frame.url;
  const file = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
  if (!sourceMaps.has(file)) {
    try {
      sourceMaps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
    } catch {
      sourceMaps.set(file, undefined);
    }
  }
  const entry = sourceMaps.get(file)?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string }
    | undefined;
  return entry?.originalSource ?? frame.url;
}

function selfTimes(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = groupOf(originalUrl(node.callFrame), node.callFrame.functionName);
    out.set(key, (out.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

async function main(): Promise<void> {
  let dir = process.argv[2];
  if (!dir) {
    // A smoke's profiles go elsewhere: it must not delete the profiles of a full run.
    dir = join(__dirname, '..', '.local', SMOKE ? 'prof-smoke' : 'prof');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // --cpu-prof is refused in NODE_OPTIONS: node runs the e2e benchmark itself, tsx as its loader.
    // Worker threads inherit the flag, so every function environment writes its own profile.
    const e2e = spawnSync(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', join(__dirname, 'e2e.bench.ts')],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          BENCH_SECONDS: process.env.BENCH_SECONDS ?? String(sizesOf('profile').seconds),
          BENCH_REPORT_SUFFIX: '-profiled',
        },
      },
    );
    if (e2e.status !== 0) throw new Error('the profiled e2e run failed');
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const total = new Map<string, number>();
  for (const f of files) {
    for (const [k, ms] of selfTimes(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile)) {
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  }
  const busy = [...total].filter(([k]) => k !== '(idle)' && k !== '(program)');
  const sum = busy.reduce((s, [, ms]) => s + ms, 0);
  const top = busy
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([group, ms]) => ({ group, selfMs: Math.round(ms), share: Number((ms / sum).toFixed(3)) }));
  for (const t of top) console.log(`${(t.share * 100).toFixed(1).padStart(5)} %  ${t.group}`);
  await writeReport('profile', { profiles: files.length, busySelfMs: Math.round(sum), top });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
