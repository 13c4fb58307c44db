/**
 * Finds Debian's Chromium for the browser tests, installing it when it is missing and this machine can
 * (root, or passwordless sudo, with apt-get): the project's own set-up, so a fresh clone's `npm test`
 * runs the browser test. CHROMIUM_PATH names another binary. When no Chromium can be installed, the
 * reason says why, and the browser tests skip with it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export type ChromiumLookup = { readonly path: string } | { readonly path?: undefined; readonly reason: string };

const run = (cmd: string, args: readonly string[]) =>
  spawnSync(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 600_000,
  });

export function ensureChromium(): ChromiumLookup {
  const wanted = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  if (existsSync(wanted)) return { path: wanted };
  if (process.env.CHROMIUM_PATH) return { reason: `CHROMIUM_PATH=${wanted} does not exist` };
  if (run('apt-get', ['--version']).status !== 0) {
    return { reason: `no ${DEBIAN_CHROMIUM} and no apt-get to install Debian's chromium (set CHROMIUM_PATH)` };
  }
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  if (!asRoot && run('sudo', ['-n', 'true']).status !== 0) {
    return { reason: `no ${DEBIAN_CHROMIUM}; installing it needs root: run \`sudo apt-get install chromium\`` };
  }
  const apt = (...args: string[]) =>
    sudo.length > 0 ? run(sudo[0] as string, [...sudo.slice(1), 'apt-get', ...args]) : run('apt-get', args);
  console.log('browser tests: installing Debian chromium (apt-get install chromium) ...');
  let install = apt('install', '-y', '--no-install-recommends', 'chromium');
  if (install.status !== 0) {
    apt('update');
    install = apt('install', '-y', '--no-install-recommends', 'chromium');
  }
  if (install.status !== 0 || !existsSync(DEBIAN_CHROMIUM)) {
    return {
      reason: `apt-get install chromium failed: ${String(install.stderr ?? '')
        .trim()
        .slice(-300)}`,
    };
  }
  return { path: DEBIAN_CHROMIUM };
}
