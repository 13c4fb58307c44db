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
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.log(`bootstrap: npm ${args[0]} (first run, or package-lock.json changed) ...`);
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('bootstrap: npm install failed; check that the npm registry is reachable.');
    process.exit(r.status ?? 1);
  }
}
