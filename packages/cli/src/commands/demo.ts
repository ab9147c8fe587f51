import { listApprovals, type Approval, type Db } from '@jbot/core';
import { waitFor } from '../wait-until.js';
import type { Command, CommandIo } from '../command.js';
import { openBrain } from '../open-brain.js';
import { requestRun } from './run.js';

/**
 * `fleet demo monday|freight`: start one of the two reference workflows now on the running
 * fleet (claimed like a manual run), then say what happened and what to do next.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'start a reference workflow now: `monday` (stale deals → follow-ups) or `freight` (late shipment cascade)',
  usage: 'fleet demo monday|freight',
  async run(argv, io) {
    const [flow] = argv;
    if (flow !== 'monday' && flow !== 'freight') {
      io.error(`usage: ${this.usage}`);
      return 64;
    }
    const session = await openBrain(io.env);
    try {
      return flow === 'monday' ? await monday(session.db, io) : await freight(session.db, io);
    } finally {
      await session.close();
    }
  },
};

interface SignalRow {
  [column: string]: unknown;
  signal_id: string;
  repeat_count: number;
  created_at: string;
  payload: Record<string, unknown>;
}

async function monday(db: Db, io: CommandIo): Promise<number> {
  io.out('Monday stale-deal flow: salesbot syncs the pipeline now…');
  const status = await requestRun(db, 'salesbot', 'hubspot-sync', io, { wait: true, timeoutMs: 60_000 });
  if (status !== 0) return status;
  const [signal] = await db.rpc<SignalRow>('list_signals', { p_signal_type: 'stale_deals', p_limit: 1 });
  if (signal === undefined) {
    io.out('No deal has gone stale (>14 days without activity): nothing to escalate.');
    return 0;
  }
  const deals = (signal.payload['deals'] as Array<{ name: string; days_since_activity?: number }>).map((deal) => `    • ${deal.name} (${deal.days_since_activity ?? '?'} days quiet)`);
  io.out(`\nstale_deals ${signal.signal_id}${signal.repeat_count > 1 ? ` (already raised this week; seen ${signal.repeat_count}×)` : ''}:`);
  io.out(deals.join('\n'));
  const pending = (await listApprovals(db, { bot: 'salesbot' })).filter((approval) => approval.signalId === signal.signal_id);
  if (pending.length > 0) return showApprovals(io, pending);
  io.out('\njbot sent the operator one line about it (Telegram, or the console without a token). Answer it as the operator:');
  io.out(`  pnpm fleet reply ${signal.signal_id} "follow up on both, draft emails"`);
  io.out('salesbot then drafts one email per deal and asks for approval: `pnpm fleet approvals`, then `pnpm fleet approve <id>`.');
  return 0;
}

async function freight(db: Db, io: CommandIo): Promise<number> {
  io.out('Freight-delay cascade: opsbot checks inbound shipments against their promised ETAs now…');
  const status = await requestRun(db, 'opsbot', 'freight-watch', io, { wait: true, timeoutMs: 60_000 });
  if (status !== 0) return status;
  const [signal] = await db.rpc<SignalRow>('list_signals', { p_signal_type: 'freight_delay', p_limit: 1 });
  if (signal === undefined) {
    io.out('No shipment is late against its promised ETA: nothing cascades.');
    return 0;
  }
  io.out(`\nfreight_delay ${signal.signal_id}: ${String(signal.payload['shipment_id'])} is ${String(signal.payload['delay_days'])} days late (alert → jbot tells the operator)`);
  io.out('shipbot is updating the fulfilment forecast; salesbot and mktgbot are drafting for approval…');
  const approvals = await waitFor(async () => {
    const found = (await listApprovals(db)).filter((approval) => approval.signalId === signal.signal_id);
    return found.length >= 2 ? found : undefined;
  }, 20_000);
  if (approvals === undefined) {
    io.out('The approvals have not appeared yet: are shipbot, salesbot and mktgbot running? (`pnpm fleet status`, `pnpm fleet approvals`)');
    return 1;
  }
  return showApprovals(io, approvals);
}

function showApprovals(io: CommandIo, approvals: Approval[]): number {
  io.out('\nWaiting for a person:');
  for (const approval of approvals) {
    const next = approval.status === 'pending' ? `pnpm fleet approve ${approval.id.slice(0, 8)}` : approval.status;
    io.out(`  ${approval.bot.padEnd(9)} ${approval.title}\n            → ${next}`);
  }
  return 0;
}
