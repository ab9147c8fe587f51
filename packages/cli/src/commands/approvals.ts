import { parseArgs } from 'node:util';
import { APPROVAL_STATUSES, listApprovals, retryApproval, statusLine, type ApprovalStatus } from '@jbot/core';
import type { Command, CommandIo } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';
import { resolveApprovalId } from './approve.js';

/** `fleet approvals`: what waits for a decision (or, with --status/--all, everything recent). */
export const approvalsCommand: Command = {
  name: 'approvals',
  summary: 'approvals waiting for a decision (--all for every status)',
  usage: 'fleet approvals [--all | --status S] [--bot B] [--limit N] [--json]   |   fleet approvals retry <id>',
  async run(argv, io) {
    if (argv[0] === 'retry') return retry(argv.slice(1), io);
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
      if (approvals.some((approval) => approval.status === 'failed')) io.out('\nRun a failed one again (nothing done is repeated): pnpm fleet approvals retry <id>');
      return 0;
    } finally {
      await session.close();
    }
  },
};

/**
 * `fleet approvals retry <id>`: run a failed approval again. The owning bot executes it under
 * the same idempotency key, so what the failed attempt already did is not done twice. Exit 0
 * when this call retried it, 1 when nothing changed (not failed, or no such approval).
 */
async function retry(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [given] = positionals;
  if (given === undefined || positionals.length !== 1) {
    io.error('usage: fleet approvals retry <approval-id or unique prefix> [--json]');
    return 64;
  }
  const session = await openBrain(io.env);
  try {
    const approvalId = await resolveApprovalId(session.db, given);
    if (approvalId === null) {
      io.error(`No single approval matches "${given}" (see \`fleet approvals --status failed\`).`);
      return 1;
    }
    const result = await retryApproval(session.db, { approvalId, retriedBy: `cli:${io.env['USER'] ?? 'operator'}` });
    if (values.json === true) io.out(JSON.stringify(result));
    else if (result.retried) io.out(`Retrying: ${result.approval?.title} (${result.reason}).`);
    else io.out(`Nothing changed: ${result.reason}.`);
    return result.retried ? 0 : 1;
  } finally {
    await session.close();
  }
}
