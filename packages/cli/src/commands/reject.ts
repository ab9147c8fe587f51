import { defineCommand } from '../command.js';
import { decide, decideOptions } from './approve.js';

/** `fleet reject <id>`: reject as a local approver; nothing is executed. */
export const rejectCommand = defineCommand({
  name: 'reject',
  summary: 'reject a pending approval (nothing is executed)',
  arguments: '<approval-id>',
  positionals: { min: 1, max: 1 },
  options: decideOptions,
  details: 'The id is the full one or any unique prefix (the 8 characters `fleet approvals` prints).',
  run: ({ values, positionals }, io) => decide(positionals[0] ?? '', values.json === true, io, 'rejected'),
});
