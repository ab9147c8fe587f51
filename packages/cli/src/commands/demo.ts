import { listApprovals, type Approval, type Db } from '@jbot/core';
import { waitFor } from '../wait-for.js';
import { defineCommand, type CommandIo } from '../command.js';
import { formatTime, shortId } from '../format-table.js';
import { openBrain, requireRunning } from '../open-brain.js';
import { UsageError } from '../usage-error.js';
import { requestRun } from './run.js';

/**
 * `fleet demo monday|freight`: start one of the two reference workflows now on the running
 * fleet (claimed like a manual run), then say what happened and what to do next. The watches
 * dedupe (one freight alert per shipment a day, one stale-deals warning a week), so a second
 * demo the same day shows the cascade the first one started, and says so.
 */
export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'start a reference workflow now: `monday` (stale deals → follow-ups) or `freight` (late shipment cascade)',
  arguments: 'monday|freight',
  positionals: { min: 1, max: 1 },
  options: {},
  details: 'Needs the running fleet (`pnpm start` in another terminal). `fleet seed --reset` replays a demo from the start.',
  async run({ positionals }, io) {
    const [flow] = positionals;
    if (flow !== 'monday' && flow !== 'freight') throw new UsageError(`unknown flow "${flow ?? ''}": the flows are monday and freight`);
    const session = await openBrain(io.env, { needs: 'fleet' });
    try {
      await requireRunning(session, FLOW_BOTS[flow]);
      return flow === 'monday' ? await monday(session.db, io) : await freight(session.db, io);
    } finally {
      await session.close();
    }
  },
});

// The bots each flow waits on: the job's bot and the consumers whose work it shows.
const FLOW_BOTS = { monday: ['salesbot'], freight: ['opsbot', 'shipbot', 'salesbot', 'mktgbot'] } as const;

interface Receipt {
  consumer: string;
  status: string;
  attempts: number;
  error: string | null;
}

interface SignalRow {
  [column: string]: unknown;
  signal_id: string;
  repeat_count: number;
  created_at: string;
  payload: Record<string, unknown>;
  receipts: Receipt[];
}

interface MessageRow {
  [column: string]: unknown;
  bot: string;
  text: string;
  body: { kind?: string };
  signal_id: string | null;
}

// How long the demo follows the fleet's reaction before pointing at where to look instead.
const FOLLOW_MS = 20_000;

// Run the flow's first job now, then read the signal this run raised: a new one, or the newest one
// when this run counted a repeat of it (dedupe). An older signal the run did not raise again is
// history, not this run's finding: a sync that found nothing must not present last week's deals.
async function runAndRead(db: Db, io: CommandIo, bot: string, job: string, signalType: string): Promise<{ status: number; signal?: SignalRow }> {
  const [before] = await db.rpc<SignalRow>('list_signals', { p_signal_type: signalType, p_limit: 1 });
  const status = await requestRun(db, bot, job, io, { wait: true, timeoutMs: 60_000 });
  if (status !== 0) return { status };
  const [signal] = await db.rpc<SignalRow>('list_signals', { p_signal_type: signalType, p_limit: 1 });
  const raisedNow = signal !== undefined && (before === undefined || signal.signal_id !== before.signal_id || signal.repeat_count > before.repeat_count);
  return raisedNow ? { status, signal } : { status };
}

async function monday(db: Db, io: CommandIo): Promise<number> {
  io.out('Monday stale-deal flow: salesbot syncs the pipeline now…');
  const { status, signal } = await runAndRead(db, io, 'salesbot', 'hubspot-sync', 'stale_deals');
  if (status !== 0) return status;
  if (signal === undefined) {
    io.out('No deal has gone stale (>14 days without activity): nothing to escalate.');
    return 0;
  }
  const deals = (signal.payload['deals'] as Array<{ name: string; days_since_activity?: number }>).map(
    (deal) => `    • ${deal.name} (${deal.days_since_activity ?? '?'} days quiet)`,
  );
  io.out(`\nstale_deals ${shortId(signal.signal_id)}${repeatNote(signal, 'this week')}:`);
  io.out(deals.join('\n'));
  const pending = (await listApprovals(db, { bot: 'salesbot' })).filter((approval) => approval.signalId === signal.signal_id);
  if (pending.length > 0) {
    showApprovals(io, pending);
  } else {
    io.out('\njbot sent the operator one line about it (Telegram, or the console without a token). Answer it as the operator:');
    io.out(`  pnpm fleet reply ${shortId(signal.signal_id)} "follow up on both, draft emails"   (or type it in the \`pnpm start\` terminal)`);
    io.out('salesbot then drafts one email per deal and asks for approval: `pnpm fleet approvals`, then `pnpm fleet approve <id>`.');
  }
  watchHint(io, 'stale_deals');
  return 0;
}

async function freight(db: Db, io: CommandIo): Promise<number> {
  io.out('Freight-delay cascade: opsbot checks inbound shipments against their promised ETAs now…');
  const { status, signal: latest } = await runAndRead(db, io, 'opsbot', 'freight-watch', 'freight_delay');
  if (status !== 0) return status;
  if (latest === undefined) {
    io.out('No shipment is late against its promised ETA: nothing cascades.');
    return 0;
  }
  io.out(
    `\nfreight_delay ${shortId(latest.signal_id)}: ${String(latest.payload['shipment_id'])} is ${String(latest.payload['delay_days'])} days late (alert → jbot tells the operator)${repeatNote(latest, 'today')}`,
  );
  if (latest.repeat_count > 1) io.out('freight-watch alerts once per shipment per day, so here is the cascade that alert started:');
  else io.out('shipbot is updating the fulfilment forecast; salesbot and mktgbot are drafting for approval…');

  // Follow the signal until every consumer has handled it (or the wait is over).
  const settled = await waitFor(async () => {
    const [row] = await db
      .rpc<SignalRow>('list_signals', { p_signal_type: 'freight_delay', p_limit: 5 })
      .then((rows) => rows.filter((candidate) => candidate.signal_id === latest.signal_id));
    return row !== undefined && row.receipts.every((receipt) => !['pending', 'processing'].includes(receipt.status)) ? row : undefined;
  }, FOLLOW_MS);
  const [signal] =
    settled === undefined
      ? (await db.rpc<SignalRow>('list_signals', { p_signal_type: 'freight_delay', p_limit: 5 })).filter((row) => row.signal_id === latest.signal_id)
      : [settled];
  io.out(
    `\ndelivery: ${(signal?.receipts ?? []).map((receipt) => `${receipt.consumer} ${receipt.status}${receipt.error === null ? '' : ` (${receipt.error})`}`).join(' · ') || 'no subscribers'}`,
  );

  const forecast = (await db.rpc<MessageRow>('list_channel_messages', { p_bot: 'shipbot', p_limit: 50 })).find(
    (message) => message.signal_id === latest.signal_id && message.body.kind === 'fulfilment_forecast',
  );
  if (forecast === undefined) io.out('\nshipbot has not posted the forecast yet: is shipbot running? (`pnpm fleet status`)');
  else io.out(`\nshipbot posted to #ship-bot:\n${indent(forecast.text)}`);

  const approvals = (await listApprovals(db)).filter((approval) => approval.signalId === latest.signal_id);
  const waiting = (signal?.receipts ?? [])
    .filter((receipt) => ['salesbot', 'mktgbot'].includes(receipt.consumer) && receipt.status !== 'handled')
    .map((receipt) => receipt.consumer);
  if (approvals.length === 0) {
    io.out(
      `\nNo approval requests yet${waiting.length === 0 ? '' : ` (${waiting.join(' and ')} still ${waiting.length === 1 ? 'has' : 'have'} it)`}: are salesbot and mktgbot running? (\`pnpm fleet status\`, \`pnpm fleet approvals\`)`,
    );
    watchHint(io, 'freight_delay');
    return 1;
  }
  showApprovals(io, approvals);
  if (waiting.length > 0) io.out(`(${waiting.join(' and ')} had not finished with the signal yet: \`pnpm fleet approvals\` shows what follows)`);
  watchHint(io, 'freight_delay');
  return 0;
}

// A deduplicated signal keeps its first id and counts repeats: say it was raised before, and when.
function repeatNote(signal: SignalRow, window: string): string {
  if (signal.repeat_count <= 1) return '';
  return ` — already raised ${window} at ${formatTime(signal.created_at).replace(/Z$/, ' UTC')} (seen ${signal.repeat_count}×)`;
}

function showApprovals(io: CommandIo, approvals: Approval[]): void {
  const pending = approvals.some((approval) => approval.status === 'pending');
  io.out(pending ? '\nWaiting for a person:' : '\nApprovals (already decided):');
  for (const approval of approvals) {
    io.out(`  ${approval.bot.padEnd(9)} ${approval.title}\n            → ${nextStep(approval)}`);
  }
}

function nextStep(approval: Approval): string {
  switch (approval.status) {
    case 'pending':
      return `pnpm fleet approve ${shortId(approval.id)}   (or: pnpm fleet reject ${shortId(approval.id)})`;
    case 'executed':
      return `done${approval.decidedBy === null ? '' : ` (approved by ${approval.decidedBy})`}: ${resultSummary(approval.result)}`;
    case 'failed':
      return `failed: ${approval.error ?? 'unknown error'}`;
    default:
      return `${approval.status}${approval.decidedBy === null ? '' : ` (by ${approval.decidedBy})`}`;
  }
}

function resultSummary(result: unknown): string {
  if (typeof result === 'object' && result !== null && typeof (result as { summary?: unknown }).summary === 'string')
    return (result as { summary: string }).summary;
  return result === null || result === undefined ? 'ok' : JSON.stringify(result).slice(0, 200);
}

function watchHint(io: CommandIo, signalType: string): void {
  io.out(
    `\nWatch it: \`pnpm fleet signals --type ${signalType}\` (delivery per bot) · \`pnpm fleet approvals\` · \`pnpm fleet approve <id>\` · the bots' channels (Discord, or the \`pnpm start\` console).`,
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
