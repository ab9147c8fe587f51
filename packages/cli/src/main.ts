import { applyEnvFile, ConfigError, FleetError } from '@jbot/core';
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

// A command that cannot start for a bad configuration prints each problem on its line and
// exits 78 (EX_CONFIG), like the bots; never a stack trace.
const EXIT_CONFIG = 78;

// .env (or FLEET_ENV_FILE) fills what the real environment leaves unset.
try {
  applyEnvFile(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  io.error(error.message);
  process.exit(EXIT_CONFIG);
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
      if (error instanceof ConfigError) {
        io.error(error.message);
        process.exitCode = EXIT_CONFIG;
        return;
      }
      if (FleetError.isInstance(error) || (error instanceof Error && error.name === 'UnknownBotError')) io.error((error as Error).message);
      else io.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    });
}
