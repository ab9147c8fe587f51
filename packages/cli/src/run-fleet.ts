import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, FleetError, releaseVersion, repositoryRoot } from '@jbot/core';
import type { Command, CommandIo } from './command.js';
import { commands } from './commands/index.js';

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
    '`fleet <command> --help` shows a command\'s options; `fleet --version` the version.',
  ].join('\n');
}

/**
 * Run `fleet <argv>` and return the exit status: 0 done, 1 failed, 64 the command line is wrong
 * (unknown command or flag, bad value). Errors the fleet raises on purpose print their message;
 * an unexpected one prints its message and, with FLEET_DEBUG=1, its stack.
 */
export async function runFleet(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = commands.find((candidate) => candidate.name === topic);
    if (topic !== undefined && command === undefined) return unknownCommand(topic, io);
    io.out(command === undefined ? fleetHelp() : command.help());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`fleet ${packageVersion()} (${releaseVersion() === 'local' ? 'from a working copy' : `release ${releaseVersion()}`}, node ${process.versions.node})`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) return unknownCommand(name, io);
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigError || FleetError.isInstance(error)) io.error((error as Error).message);
    else {
      io.error(`fleet ${name}: ${error instanceof Error ? error.message : String(error)}`);
      if (io.env['FLEET_DEBUG'] === '1' && error instanceof Error && error.stack !== undefined) io.error(error.stack);
      else io.error('(set FLEET_DEBUG=1 for the stack trace)');
    }
    return 1;
  }
}

function unknownCommand(name: string, io: CommandIo): number {
  const near = commands.filter((command) => command.name.startsWith(name.slice(0, 2)) || name.startsWith(command.name));
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
