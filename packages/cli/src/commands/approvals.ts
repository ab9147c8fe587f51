import { parseArgs } from 'node:util';
import { APPROVAL_STATUSES, listApprovals, statusLine, type ApprovalStatus } from '@jbot/core';
import type { Command } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';

/** `fleet approvals`: what waits for a decision (or, with --status/--all, everything recent). */
export const approvalsCommand: Command = {
  name: 'approvals',
  summary: 'approvals waiting for a decision (--all for every status)',
  usage: 'fleet approvals [--all | --status S] [--bot B] [--limit N] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { all: { type: 'boolean' }, status: { type: 'string' }, bot: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } });
    if (values.status !== undefined && !(APPROVAL_STATUSES as readonly string[]).includes(values.status)) {
      io.error(`--status must be one of ${APPROVAL_STATUSES.join(', ')}`);
      return 64;
    }
    const status = values.all === true ? undefined : ((values.status ?? 'pending') as ApprovalStatus);
    const session = await openBrain(io.env);
    try {
      const approvals = await listApprovals(session.db, { ...(status === undefined ? {} : { status }), ...(values.bot === undefined ? {} : { bot: values.bot }), limit: Number(values.limit ?? 30) });
      if (values.json === true) {
        io.out(JSON.stringify(approvals, null, 2));
        return 0;
      }
      if (approvals.length === 0) {
        io.out(status === undefined ? 'No approvals.' : `No ${status} approvals.`);
        return 0;
      }
      io.out(
        formatTable(
          ['requested', 'id', 'bot', 'action', 'status', 'title', 'detail'],
          approvals.map((approval) => [
            approval.requestedAt.slice(0, 19).replace('T', ' '),
            approval.id,
            approval.bot,
            approval.action,
            approval.status,
            approval.title.length > 60 ? `${approval.title.slice(0, 59)}…` : approval.title,
            statusLine(approval),
          ]),
        ),
      );
      if (approvals.some((approval) => approval.status === 'pending')) io.out('\nDecide with: pnpm fleet approve <id>   or   pnpm fleet reject <id>');
      return 0;
    } finally {
      await session.close();
    }
  },
};
