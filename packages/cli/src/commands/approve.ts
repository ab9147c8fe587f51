import { parseArgs } from 'node:util';
import { decideApproval, isApprovalId, listApprovals, type Db } from '@jbot/core';
import type { Command, CommandIo } from '../command.js';
import { openBrain } from '../open-brain.js';

/** `fleet approve <id>`: approve as a local approver; the owning bot executes it. */
export const approveCommand: Command = {
  name: 'approve',
  summary: 'approve a pending approval (the owning bot then executes it once)',
  usage: 'fleet approve <approval-id or unique prefix> [--json]',
  run: (argv, io) => decide(argv, io, 'approved', approveCommand.usage),
};

/**
 * Shared by approve and reject: the same decide_approval as a Discord click or a Telegram tap
 * (first decision wins; repeats and late decisions change nothing). Exit 0 when this call
 * decided, 1 when nothing changed.
 */
export async function decide(argv: string[], io: CommandIo, decision: 'approved' | 'rejected', usage: string): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [given] = positionals;
  if (given === undefined || positionals.length !== 1) {
    io.error(`usage: ${usage}`);
    return 64;
  }
  const session = await openBrain(io.env);
  try {
    const approvalId = await resolveApprovalId(session.db, given);
    if (approvalId === null) {
      io.error(`No single approval matches "${given}" (see \`fleet approvals --all\`).`);
      return 1;
    }
    const decidedBy = `cli:${io.env['USER'] ?? 'operator'}`;
    const result = await decideApproval(session.db, { approvalId, decision, decidedBy, decidedVia: 'local' });
    if (values.json === true) io.out(JSON.stringify({ decided: result.decided, reason: result.reason, approval: result.approval }));
    else if (result.decided) io.out(`${decision === 'approved' ? 'Approved' : 'Rejected'}: ${result.approval?.title} (${result.approval?.bot} ${decision === 'approved' ? 'will execute it' : 'will not act'}).`);
    else io.out(`Nothing changed: ${result.reason}.`);
    return result.decided ? 0 : 1;
  } finally {
    await session.close();
  }
}

/** People copy the short form from a table: a full id, or a prefix that names exactly one approval. */
export async function resolveApprovalId(db: Db, given: string): Promise<string | null> {
  if (isApprovalId(given)) return given;
  if (!/^[0-9a-f-]{4,36}$/i.test(given)) return null;
  const matches = (await listApprovals(db, { limit: 1000 })).filter((approval) => approval.id.startsWith(given.toLowerCase()));
  return matches.length === 1 ? (matches[0]?.id ?? null) : null;
}
