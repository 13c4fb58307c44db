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
  // Fresh clone: a clean, lock-exact `npm ci`. It refuses a lock that lacks other platforms'
  // optional packages (as written against a registry mirror without them); `npm install` then
  // installs the same locked versions. An existing node_modules is updated in place by `npm install`
  // (`npm ci` would delete it under any command using it meanwhile).
  let status = 1;
  if (fresh && existsSync(lock)) {
    console.log('bootstrap: npm ci (first run) ...');
    status = npm('ci');
    if (status !== 0) console.log('bootstrap: npm ci failed; trying npm install with the same lock file ...');
  } else {
    console.log('bootstrap: npm install (package-lock.json changed) ...');
  }
  if (status !== 0) status = npm('install');
  if (status !== 0) {
    console.error('bootstrap: installing npm packages failed; check that the npm registry is reachable.');
    process.exit(status ?? 1);
  }
}
