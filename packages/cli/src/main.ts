#!/usr/bin/env node
import { applyEnvFile, ConfigError } from '@jbot/core';
import type { CommandIo } from './command.js';
import { EXIT_CONFIG, runFleet } from './run-fleet.js';
import { terminalIo } from './terminal-io.js';

// The `fleet` command (`pnpm fleet <command> …`, or the `fleet` bin from anywhere in the repo).
const rawIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  columns: process.stdout.isTTY === true ? process.stdout.columns : Number(process.env['COLUMNS']) || undefined,
};

// .env (or FLEET_ENV_FILE) fills what the real environment leaves unset.
try {
  applyEnvFile(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  terminalIo(rawIo).error(error.message);
  process.exit(EXIT_CONFIG);
}

runFleet(process.argv.slice(2), rawIo).then((code) => {
  process.exitCode = code;
});
