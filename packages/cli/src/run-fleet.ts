import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, FleetError, releaseVersion, repositoryRoot } from '@jbot/core';
import type { Command, CommandIo } from './command.js';
import { commands } from './commands/index.js';
import { terminalIo } from './terminal-io.js';

/** Exit status of a command that cannot start for a bad configuration (EX_CONFIG), as the bots use. */
export const EXIT_CONFIG = 78;

/** `fleet` with no command, `fleet help`, `fleet --help`: every command with its one-line summary. */
export function fleetHelp(list: readonly Command[] = commands): string {
  const width = Math.max(...list.map((command) => command.name.length));
  return [
    'Usage: fleet <command> [options]',
    '',
    'Run and inspect the JBOT fleet.',
    '',
    'Commands:',
    ...list.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "`fleet <command> --help` shows a command's options; `fleet --version` the version.",
  ].join('\n');
}

/**
 * Run `fleet <argv>` and return the exit status: 0 done, 1 failed, 64 the command line is wrong
 * (unknown command or flag, bad value), 78 the configuration is. Errors the fleet raises on
 * purpose print their message; an unexpected one prints its message and, with FLEET_DEBUG=1, its
 * stack. Everything printed goes through terminalIo (secrets scrubbed, no raw control characters).
 */
export async function runFleet(argv: readonly string[], rawIo: CommandIo): Promise<number> {
  const io = terminalIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = commands.find((candidate) => candidate.name === topic);
    if (topic !== undefined && command === undefined) return unknownCommand(topic, io);
    io.out(command === undefined ? fleetHelp() : command.help());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(
      `fleet ${packageVersion()} (${releaseVersion() === 'local' ? 'from a working copy' : `release ${releaseVersion()}`}, node ${process.versions.node})`,
    );
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) return unknownCommand(name, io);
  try {
    return await command.run(rest, command.keepsControls === true ? terminalIo(rawIo, { keepControls: true }) : io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.error(error.message);
      return EXIT_CONFIG;
    }
    if (FleetError.isInstance(error) || (error instanceof Error && error.name === 'UnknownBotError')) io.error(error.message);
    else {
      io.error(`fleet ${name}: ${error instanceof Error ? error.message : String(error)}`);
      if (io.env['FLEET_DEBUG'] === '1' && error instanceof Error && error.stack !== undefined) io.error(error.stack);
      else io.error('(set FLEET_DEBUG=1 for the stack trace)');
    }
    return 1;
  }
}

function unknownCommand(name: string, io: CommandIo): number {
  // As git does: suggest the nearest commands by edit distance (a swapped pair counts once).
  const distances = commands.map((command) => ({ command, distance: editDistance(name, command.name) }));
  const best = Math.min(...distances.map((entry) => entry.distance));
  const near = best <= 2 ? distances.filter((entry) => entry.distance === best).map((entry) => entry.command) : [];
  io.error(`fleet: "${name}" is not a fleet command${near.length > 0 ? `; did you mean ${near.map((command) => command.name).join(' or ')}?` : ''}`);
  io.error('`fleet help` lists the commands.');
  return 64;
}

function packageVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
function editDistance(left: string, right: string): number {
  const rows = Array.from({ length: left.length + 1 }, (_, row) =>
    Array.from({ length: right.length + 1 }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  const at = (row: number, column: number) => rows[row]?.[column] ?? Number.POSITIVE_INFINITY;
  for (let row = 1; row <= left.length; row += 1) {
    for (let column = 1; column <= right.length; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let best = Math.min(at(row - 1, column) + 1, at(row, column - 1) + 1, at(row - 1, column - 1) + cost);
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1])
        best = Math.min(best, at(row - 2, column - 2) + 1);
      (rows[row] as number[])[column] = best;
    }
  }
  return at(left.length, right.length);
}
