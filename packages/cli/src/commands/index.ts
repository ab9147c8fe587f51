import type { Command } from '../command.js';
import { migrateCommand } from './migrate.js';
import { signalsCommand } from './signals.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';

/** Every `fleet` subcommand, in the order `fleet help` lists them. Add new commands here. */
export const commands: Command[] = [startCommand, statusCommand, migrateCommand, signalsCommand];
