import { APPROVAL_STATUSES, listApprovals, statusLine } from '@jbot/core';
import { defineCommand } from '../command.js';
import { formatTable, formatTime, shortId } from '../format-table.js';
import { botOption, choiceOption, limitOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';

/** `fleet approvals`: what waits for a decision (or, with --status/--all, everything recent). */
export const approvalsCommand = defineCommand({
  name: 'approvals',
  summary: 'approvals waiting for a decision (--all for every status)',
  options: {
    all: { type: 'boolean', description: 'every status, not only pending' },
    status: { type: 'string', value: 'S', description: `only this status: ${APPROVAL_STATUSES.join(', ')}` },
    bot: { type: 'string', value: 'B', description: 'only this bot\'s approvals' },
    limit: { type: 'string', value: 'N', description: 'at most N rows (default 30)' },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON (full ids and drafts)' },
  },
  async run({ values }, io) {
    const chosen = choiceOption('status', values.status, APPROVAL_STATUSES);
    const bot = botOption(values.bot);
    const limit = limitOption(values.limit, 30);
    const status = values.all === true ? undefined : (chosen ?? 'pending');
    const session = await openBrain(io.env);
    try {
      const approvals = await listApprovals(session.db, { ...(status === undefined ? {} : { status }), ...(bot === undefined ? {} : { bot }), limit });
      if (values.json === true) {
        io.out(JSON.stringify(approvals, null, 2));
        return 0;
      }
      io.out(
        formatTable(
          ['requested', 'id', 'bot', 'action', 'status', 'title', 'detail'],
          approvals.map((approval) => [formatTime(approval.requestedAt), shortId(approval.id), approval.bot, approval.action, approval.status, approval.title, statusLine(approval)]),
          { columns: io.columns, wide: values.wide, empty: status === undefined ? 'No approvals yet.' : `No ${status} approvals${status === 'pending' ? ': nothing waits for a decision (`fleet approvals --all` shows the rest)' : ''}.` },
        ),
      );
      if (approvals.some((approval) => approval.status === 'pending')) io.out('\nDecide with: pnpm fleet approve <id>   or   pnpm fleet reject <id>');
      return 0;
    } finally {
      await session.close();
    }
  },
});
