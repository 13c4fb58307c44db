/**
 * Bundles a function the way CDK's NodejsFunction does (esbuild, same entry, platform node, target
 * node22, CommonJS, minified, source map, lib/bundling.ts externals and main fields), so the code that
 * runs locally is the code that would be deployed. Output: <outDir>/<name>/index.js, written atomically
 * (several runners may bundle at once).
 */

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../../../lib/bundling';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Bundles live inside the repository so externals (`@aws-sdk/*`) resolve from its node_modules. */
const DEFAULT_BUILD_DIR = join(REPO_ROOT, '.local', 'build');

export interface BundleOptions {
  /** Handler module, relative to the repository root (topology `entry`) or absolute. */
  readonly entry: string;
  /** Directory name under outDir, e.g. the physical function name. */
  readonly name: string;
  readonly outDir?: string;
}

export async function bundleFunction(options: BundleOptions): Promise<string> {
  const entry = isAbsolute(options.entry) ? options.entry : join(REPO_ROOT, options.entry);
  const outfile = join(options.outDir ?? DEFAULT_BUILD_DIR, options.name, 'index.js');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'cjs',
    minify: true,
    sourcemap: true,
    // Same as the CDK stacks: the AWS SDK bundled, Powertools Kafka's optional decoders left out.
    external: [...BUNDLE_EXTERNALS],
    mainFields: [...BUNDLE_MAIN_FIELDS],
    write: false,
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  // Source map first, so a reader of the new index.js never sees a stale map.
  const outputs = [...result.outputFiles].sort((a) => (a.path.endsWith('.map') ? -1 : 1));
  for (const file of outputs) {
    writeFileSync(file.path + suffix, file.contents);
    renameSync(file.path + suffix, file.path);
  }
  return outfile;
}

let bootstrapPath: Promise<string> | undefined;

/** The in-worker runtime (bootstrap.ts), bundled once per process. */
export function runtimeBootstrap(outDir = DEFAULT_BUILD_DIR): Promise<string> {
  bootstrapPath ??= bundleFunction({
    entry: join(__dirname, 'bootstrap.ts'),
    name: '.runtime',
    outDir,
  }).catch((err: unknown) => {
    bootstrapPath = undefined;
    throw err;
  });
  return bootstrapPath;
}
