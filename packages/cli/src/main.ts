#!/usr/bin/env node
import { runFleet } from './run-fleet.js';

// The `fleet` command (`pnpm fleet <command> …`, or the `fleet` bin from anywhere in the repo).
runFleet(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  columns: process.stdout.isTTY === true ? process.stdout.columns : Number(process.env['COLUMNS']) || undefined,
}).then((code) => {
  process.exitCode = code;
});
