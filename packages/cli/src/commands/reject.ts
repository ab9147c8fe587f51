import type { Command } from '../command.js';
import { decide } from './approve.js';

/** `fleet reject <id>`: reject as a local approver; nothing is executed. */
export const rejectCommand: Command = {
  name: 'reject',
  summary: 'reject a pending approval (nothing is executed)',
  usage: 'fleet reject <approval-id or unique prefix> [--json]',
  run: (argv, io) => decide(argv, io, 'rejected', rejectCommand.usage),
};
