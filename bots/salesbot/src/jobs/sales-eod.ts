import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { dealStageLabel, type Connectors, type Deal, type DealPropertyChange } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { startOfLocalDay } from './local-time.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's thresholds (amount change > 10%, close date pushed > 14 days). */
export const salesEodSettings = envSettings({
  SALES_EOD_AMOUNT_CHANGE_PCT: envInteger(10, 1, 1000),
  SALES_EOD_CLOSE_PUSH_DAYS: envInteger(14, 1, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** What moved on a deal today. */
export type MovementKind = 'new' | 'advanced' | 'moved_back' | 'won' | 'lost' | 'amount_changed' | 'close_pushed' | 'close_pulled_in';

/** One line of the end-of-day movement. */
export interface PipelineMovement {
  deal_id: string;
  deal: string;
  owner: string;
  kind: MovementKind;
  from: string | null;
  to: string | null;
  amount: number | null;
  at: string;
}

const STAGE_ORDER = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon'];
const money = (amount: number | null) => (amount === null ? 'no amount' : `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`);

function stageMovement(change: DealPropertyChange): MovementKind | null {
  if (change.previous === null) return 'new';
  if (change.value === 'closedwon') return 'won';
  if (change.value === 'closedlost') return 'lost';
  const from = STAGE_ORDER.indexOf(change.previous);
  const to = STAGE_ORDER.indexOf(change.value ?? '');
  if (from === -1 || to === -1 || from === to) return null;
  return to > from ? 'advanced' : 'moved_back';
}

/**
 * Today's movement, deterministically, from the deals' property history since local midnight:
 * stage changes (new, advanced, back, won, lost), amount changes above the threshold, and
 * close dates pushed out (or pulled in) by more than the threshold.
 */
export async function findPipelineMovement(
  connectors: Pick<Connectors, 'crm'>,
  since: Date,
  settings: { amountChangePct: number; closePushDays: number },
): Promise<PipelineMovement[]> {
  const [changes, deals] = await Promise.all([connectors.crm.listDealHistory({ since }), connectors.crm.listDeals()]);
  const byId = new Map<string, Deal>(deals.map((deal) => [deal.id, deal]));
  const movements: PipelineMovement[] = [];
  for (const change of changes) {
    const deal = byId.get(change.dealId);
    if (deal === undefined) continue;
    const line = { deal_id: deal.id, deal: deal.name, owner: deal.ownerName ?? 'Unassigned', amount: deal.amount, at: change.changedAt };
    if (change.property === 'dealstage') {
      const kind = stageMovement(change);
      if (kind !== null) movements.push({ ...line, kind, from: change.previous, to: change.value });
    } else if (change.property === 'amount' && change.previous !== null) {
      const before = Number(change.previous);
      const after = Number(change.value ?? 0);
      if (before > 0 && (Math.abs(after - before) / before) * 100 > settings.amountChangePct)
        movements.push({ ...line, kind: 'amount_changed', from: change.previous, to: change.value });
    } else if (change.property === 'closedate' && change.previous !== null && change.value !== null) {
      const days = Math.round((Date.parse(change.value) - Date.parse(change.previous)) / DAY_MS);
      if (Math.abs(days) > settings.closePushDays)
        movements.push({ ...line, kind: days > 0 ? 'close_pushed' : 'close_pulled_in', from: change.previous, to: change.value });
    }
  }
  return movements.sort((left, right) => left.kind.localeCompare(right.kind) || left.deal.localeCompare(right.deal) || left.at.localeCompare(right.at));
}

function describe(movement: PipelineMovement): string {
  switch (movement.kind) {
    case 'new':
      return `new deal, ${money(movement.amount)}`;
    case 'advanced':
    case 'moved_back':
      return `${dealStageLabel(movement.from ?? '')} → ${dealStageLabel(movement.to ?? '')}`;
    case 'won':
      return `closed won, ${money(movement.amount)}`;
    case 'lost':
      return `closed lost, ${money(movement.amount)}`;
    case 'amount_changed':
      return `amount ${money(Number(movement.from))} → ${money(Number(movement.to))}`;
    case 'close_pushed':
    case 'close_pulled_in':
      return `close date ${movement.from} → ${movement.to}`;
  }
}

const HEADINGS: Record<MovementKind, string> = {
  new: 'New pipeline',
  advanced: 'Advanced',
  moved_back: 'Moved back',
  won: 'Won',
  lost: 'Lost',
  amount_changed: 'Amount changed',
  close_pushed: 'Close date pushed out',
  close_pulled_in: 'Close date pulled in',
};

/** The end-of-day post: movement grouped by kind, with the day's new and won dollars. */
export function movementMessage(movements: readonly PipelineMovement[]): string {
  const total = (kind: MovementKind) => movements.filter((movement) => movement.kind === kind).reduce((sum, movement) => sum + (movement.amount ?? 0), 0);
  const lines = [`New pipeline ${money(total('new'))} · won ${money(total('won'))} · lost ${money(total('lost'))}`];
  let kind: MovementKind | null = null;
  for (const movement of movements) {
    if (movement.kind !== kind) {
      kind = movement.kind;
      lines.push('', `**${HEADINGS[kind]}**`);
    }
    lines.push(`• ${movement.deal} (${movement.owner}): ${describe(movement)}`);
  }
  return lines.join('\n');
}

/** Run sales-eod once: the movement post on change and a digest-only `bot_note` (kind pipeline_movement). */
export async function runSalesEod(context: BotContext & JobRunInfo, settings = salesEodSettings.load({}), now = new Date()) {
  const today = localDay(now, settings.FLEET_TZ);
  const movements = await findPipelineMovement(context.connectors, startOfLocalDay(today, settings.FLEET_TZ), {
    amountChangePct: settings.SALES_EOD_AMOUNT_CHANGE_PCT,
    closePushDays: settings.SALES_EOD_CLOSE_PUSH_DAYS,
  });
  const outcome = await reportFindings(context, {
    findings: movements,
    noun: 'pipeline movement',
    message: (findings) => ({
      title: `Pipeline today (${today}): ${findings.length} movement${findings.length === 1 ? '' : 's'}`,
      text: movementMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'No deal changed stage, amount or close date materially today.',
  });
  let noteId: string | null = null;
  if (movements.length > 0) {
    const count = (kind: MovementKind) => movements.filter((movement) => movement.kind === kind).length;
    const emitted = await context.signals.emit(
      'bot_note',
      {
        text: `Pipeline today: ${count('advanced')} advanced, ${count('won')} won, ${count('lost')} lost, ${count('new')} new, ${count('close_pushed')} close dates pushed`,
        detail: { kind: 'pipeline_movement', day: today, movements },
      },
      { dedupeKey: `pipeline-movement:${today}:${outcome.fingerprint ?? ''}`, dedupeWindowMs: DAY_MS },
    );
    noteId = emitted.id;
  }
  return { outcome, movements, noteId };
}

/** salesbot's sales-eod: weekdays 17:30 (fleet time zone). */
export const salesEod = defineJob({
  id: 'sales-eod',
  schedule: '30 17 * * 1-5',
  description: 'End-of-day pipeline movement: stage changes, amount changes > 10%, close dates pushed > 14 days → #sales-bot and the digest',
  timeoutMs: 120_000,
  // An end-of-day summary: a missed evening catches up once (the movement is still "today" until midnight).
  missed: 'once',
  settings: salesEodSettings,
  async run(context) {
    const { outcome, noteId } = await runSalesEod(context, context.config);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, noteId },
    });
  },
});
