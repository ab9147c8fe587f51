import { decideApproval, readFleetHeartbeats } from '@jbot/core';
import { defineCommand, type CommandIo } from '../command.js';
import { openBrain } from '../open-brain.js';
import { checkIdShape, resolveId } from '../resolve-id.js';

/** The flags approve and reject share. */
export const decideOptions = { json: { type: 'boolean', description: 'print the decision as JSON' } } as const;

/** `fleet approve <id>`: approve as a local approver; the owning bot executes it. */
export const approveCommand = defineCommand({
  name: 'approve',
  summary: 'approve a pending approval (the owning bot then executes it once)',
  arguments: '<approval-id>',
  positionals: { min: 1, max: 1 },
  options: decideOptions,
  details: 'The id is the full one or any unique prefix (the 8 characters `fleet approvals` prints).',
  run: ({ values, positionals }, io) => decide(positionals[0] ?? '', values.json === true, io, 'approved'),
});

/**
 * Shared by approve and reject: the same decide_approval as a Discord click or a Telegram tap
 * (first decision wins; repeats and late decisions change nothing). Exit 0 when this call
 * decided, 1 when nothing changed.
 */
export async function decide(given: string, json: boolean, io: CommandIo, decision: 'approved' | 'rejected'): Promise<number> {
  checkIdShape(given, 'approval', 'fleet approvals --all');
  const session = await openBrain(io.env);
  try {
    const resolved = await resolveId(session.db, 'approval', given, 'fleet approvals --all');
    if ('problem' in resolved) {
      for (const line of resolved.problem) io.error(line);
      return 1;
    }
    const decidedBy = `cli:${io.env['USER'] ?? 'operator'}`;
    const result = await decideApproval(session.db, { approvalId: resolved.id, decision, decidedBy, decidedVia: 'local' });
    if (json) io.out(JSON.stringify({ decided: result.decided, reason: result.reason, approval: result.approval }));
    else if (result.decided) {
      const bot = result.approval?.bot ?? 'the bot';
      io.out(
        `${decision === 'approved' ? 'Approved' : 'Rejected'}: ${result.approval?.title} (${bot} ${decision === 'approved' ? 'will execute it' : 'will not act'}).`,
      );
      // The decision is stored either way; say when nobody is there to act on it yet.
      if (decision === 'approved' && !(await isRunning(session, bot))) io.out(`${bot} is not running: it executes this when it starts (pnpm start).`);
    } else io.out(`Nothing changed: ${result.reason}.`);
    return result.decided ? 0 : 1;
  } finally {
    await session.close();
  }
}

async function isRunning(session: Awaited<ReturnType<typeof openBrain>>, bot: string): Promise<boolean> {
  const staleAfter = (session.config.heartbeatIntervalMs * 3) / 1000;
  return (await readFleetHeartbeats(session.db)).some((beat) => beat.bot === bot && beat.status === 'running' && beat.seconds_since_seen <= staleAfter);
}
