#!/usr/bin/env node
/** Entry point of `npm run preflight` (see run.ts). */
import { dirname, join } from 'node:path';
import { preflight } from './run';

const root = join(dirname(__filename), '..', '..');
preflight(process.argv.slice(2), { out: console.log, err: console.error, env: process.env, root }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
