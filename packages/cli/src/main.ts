import { ConfigError, FleetError } from '@jbot/core';
import type { CommandIo } from './command.js';
import { commands } from './commands/index.js';
import { terminalIo } from './terminal-io.js';

// The `fleet` command: `pnpm fleet <command> …`.
const rawIo: CommandIo = { out: (line) => process.stdout.write(`${line}\n`), error: (line) => process.stderr.write(`${line}\n`), env: process.env };
const io = terminalIo(rawIo);

function help(): void {
  io.out('fleet — run and inspect the JBOT fleet\n');
  for (const command of commands) io.out(`  ${command.usage.padEnd(58)} ${command.summary}`);
}

const [name, ...argv] = process.argv.slice(2);
const command = commands.find((candidate) => candidate.name === name);
if (name === undefined || name === 'help' || name === '--help' || command === undefined) {
  if (name !== undefined && command === undefined && name !== 'help' && name !== '--help') io.error(`unknown command "${name}"\n`);
  help();
  process.exitCode = name === undefined || name === 'help' || name === '--help' ? 0 : 2;
} else {
  command
    .run(argv, command.keepsControls === true ? terminalIo(rawIo, { keepControls: true }) : io)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError || FleetError.isInstance(error)) io.error((error as Error).message);
      else io.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    });
}
