import { APPROVAL_STATUSES, isApprovalId, listApprovals, retryApproval, statusLine } from '@jbot/core';
import { defineCommand, type CommandIo } from '../command.js';
import { formatTable, formatTime, shortId } from '../format-table.js';
import { botOption, choiceOption, limitOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';
import { checkIdShape, resolveId } from '../resolve-id.js';
import { UsageError } from '../usage-error.js';

/** `fleet approvals`: what waits for a decision (or, with --status/--all, everything recent). */
export const approvalsCommand = defineCommand({
  name: 'approvals',
  summary: 'approvals waiting for a decision (--all for every status)',
  arguments: '[retry <approval-id>]',
  positionals: { min: 0, max: 2 },
  options: {
    all: { type: 'boolean', description: 'every status, not only pending' },
    status: { type: 'string', value: 'S', description: `only this status: ${APPROVAL_STATUSES.join(', ')}` },
    bot: { type: 'string', value: 'B', description: "only this bot's approvals" },
    limit: { type: 'string', value: 'N', description: 'at most N rows (default 30)' },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON (full ids and drafts)' },
  },
  details:
    '`fleet approvals retry <id>` runs a failed approval again: the owning bot executes it under the same idempotency key, so nothing already done is repeated.',
  async run({ values, positionals }, io) {
    if (positionals[0] === 'retry') {
      if (positionals[1] === undefined) throw new UsageError('missing the approval id to retry: fleet approvals retry <approval-id>');
      return retry(positionals[1], values.json === true, io);
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}" (only \`retry <id>\`)`);
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
          approvals.map((approval) => [
            formatTime(approval.requestedAt),
            shortId(approval.id),
            approval.bot,
            approval.action,
            approval.status,
            approval.title,
            statusLine(approval),
          ]),
          {
            columns: io.columns,
            wide: values.wide,
            empty:
              status === undefined
                ? 'No approvals yet.'
                : `No ${status} approvals${status === 'pending' ? ': nothing waits for a decision (`fleet approvals --all` shows the rest)' : ''}.`,
          },
        ),
      );
      if (approvals.some((approval) => approval.status === 'pending')) io.out('\nDecide with: pnpm fleet approve <id>   or   pnpm fleet reject <id>');
      if (approvals.some((approval) => approval.status === 'failed'))
        io.out('\nRun a failed one again (nothing done is repeated): pnpm fleet approvals retry <id>');
      return 0;
    } finally {
      await session.close();
    }
  },
});

/**
 * `fleet approvals retry <id>`: run a failed approval again. The owning bot executes it under
 * the same idempotency key, so what the failed attempt already did is not done twice. Exit 0
 * when this call retried it, 1 when nothing changed (not failed, or no such approval).
 */
async function retry(given: string, json: boolean, io: CommandIo): Promise<number> {
  checkIdShape(given, 'approval', 'fleet approvals --status failed');
  const session = await openBrain(io.env);
  try {
    // A full id goes as it is: retryApproval says why nothing changed (no such approval, not failed).
    const resolved = isApprovalId(given) ? { id: given } : await resolveId(session.db, 'approval', given, 'fleet approvals --status failed');
    if ('problem' in resolved) {
      for (const line of resolved.problem) io.error(line);
      return 1;
    }
    const result = await retryApproval(session.db, { approvalId: resolved.id, retriedBy: `cli:${io.env['USER'] ?? 'operator'}` });
    if (json) io.out(JSON.stringify(result));
    else if (result.retried) io.out(`Retrying: ${result.approval?.title} (${result.reason}).`);
    else io.out(`Nothing changed: ${result.reason}.`);
    return result.retried ? 0 : 1;
  } finally {
    await session.close();
  }
}
