#!/usr/bin/env node
// Makes a fresh clone runnable: installs npm packages when node_modules is missing or older than
// package-lock.json. Uses only Node built-ins because it runs before anything is installed.
// Maven artifacts are fetched later, on demand, by localstack/backends (cached in .cache/).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Node.js >= 20 is required (found ${process.versions.node}).`);
  process.exit(1);
}

const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
const fresh = !existsSync(marker);
const stale = fresh || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);

const npm = (...args) => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status;

if (stale) {
  // Fresh clone: a clean, lock-exact `npm ci` (the lock lists every platform's optional packages, so
  // it is accepted anywhere). No fallback to `npm install`: a lock out of sync with package.json is a
  // defect to fix, not to paper over. An existing node_modules is updated in place by `npm install`
  // (`npm ci` would delete it under any command using it meanwhile).
  const ci = fresh && existsSync(lock);
  console.log(ci ? 'bootstrap: npm ci (first run) ...' : 'bootstrap: npm install (package-lock.json changed) ...');
  const status = ci ? npm('ci') : npm('install');
  if (status !== 0) {
    console.error(
      ci
        ? 'bootstrap: npm ci failed; check that the npm registry is reachable, or, if it says package.json and package-lock.json are out of sync, run `npm install` and commit package-lock.json.'
        : 'bootstrap: npm install failed; check that the npm registry is reachable.',
    );
    process.exit(status ?? 1);
  }
}
