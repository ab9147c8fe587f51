import {
  defineJob,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  NOTHING_TO_REPORT,
  type Channel,
  type Db,
  type Settings,
  type SettingsOf,
} from '@jbot/core';
import type { JbotConfig } from '../jbot-config.js';

/** open-loops' thresholds (catalogue default: an instruction is open after 2 h without a draft). */
export const openLoopsSettings = envSettings({
  OPEN_LOOPS_INSTRUCTION_HOURS: envNumber(2, 0),
  // An approved approval may take a while to execute (retries, vendor back-off) before it is a loop.
  OPEN_LOOPS_EXECUTION_GRACE_MINUTES: envNumber(30, 0),
  OPEN_LOOPS_LOOKBACK_DAYS: envNumber(7, 0),
});

type OpenLoopsConfig = JbotConfig & SettingsOf<typeof openLoopsSettings>;

/** One loop the operator opened and nobody closed, as open_loops returns it. */
export interface OpenLoop {
  [column: string]: unknown;
  kind: 'instruction' | 'approval' | 'escalation';
  item_id: string;
  bot: string;
  text: string;
  signal_id: string | null;
  since: string | Date;
  detail: string;
}

/**
 * The loops still open, from the brain. An answered escalation whose answer is itself listed as an
 * open instruction is one loop, not two: the instruction line says it.
 */
export async function findOpenLoops(db: Db, config: OpenLoopsConfig): Promise<OpenLoop[]> {
  const rows = await db.rpc<OpenLoop>('open_loops', {
    p_instruction_age_seconds: Math.round(config.OPEN_LOOPS_INSTRUCTION_HOURS * 3600),
    p_execution_grace_seconds: Math.round(config.OPEN_LOOPS_EXECUTION_GRACE_MINUTES * 60),
    p_lookback_seconds: Math.round(config.OPEN_LOOPS_LOOKBACK_DAYS * 86_400),
  });
  const answeredByOpenInstruction = new Set(rows.filter((row) => row.kind === 'instruction' && row.signal_id !== null).map((row) => row.signal_id));
  return rows.filter((row) => row.kind !== 'escalation' || !answeredByOpenInstruction.has(row.signal_id));
}

// What the bot did with the instruction: its delivery receipt, or the operator message's status.
const INSTRUCTION_STATE: Record<string, string> = {
  handled: 'acknowledged, no draft',
  pending: 'not picked up yet',
  processing: 'being handled',
  dead: 'its handler failed',
  failed: 'its handler failed',
  routed: 'not picked up yet',
};

/** One line per loop, as the operator reads it on the phone and on #jbot. */
export function openLoopLine(loop: OpenLoop, timeZone: string): string {
  const when = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(new Date(loop.since));
  switch (loop.kind) {
    case 'instruction':
      return `You asked ${loop.bot} (${when}): "${clip(loop.text, 120)}" — nothing drafted yet (${INSTRUCTION_STATE[loop.detail] ?? loop.detail})`;
    case 'approval':
      return `Approved (${when}) but not done: ${loop.bot} — ${clip(loop.text, 120)} (${loop.detail})`;
    case 'escalation':
      return `You answered (${when}), still open: ${clip(loop.text, 120)} — ${loop.detail}`;
  }
}

/** The message: a header and one bullet per loop (bullets, not numbers: a batched Telegram message numbers its answerable lines). */
export function openLoopsText(loops: readonly OpenLoop[], timeZone: string): { title: string; text: string } {
  return {
    title: `Open loops: ${loops.length} thing${loops.length === 1 ? '' : 's'} you asked for ${loops.length === 1 ? 'has' : 'have'} not closed`,
    text: loops.map((loop) => `• ${openLoopLine(loop, timeZone)}`).join('\n'),
  };
}

/**
 * Run open-loops once: with at least one loop, one Telegram message per operator chat (keyed by
 * the run, so a retried run queues nothing twice) and a copy on #jbot; with none, nothing is sent.
 */
export async function runOpenLoops(context: { db: Db; channel: Channel; idempotencyKey: string }, config: OpenLoopsConfig): Promise<{ loops: OpenLoop[] }> {
  const loops = await findOpenLoops(context.db, config);
  if (loops.length === 0) return { loops };
  const { title, text } = openLoopsText(loops, config.routing.timeZone);
  for (const chat of config.chats) {
    await context.db.rpc('enqueue_telegram_message', {
      p_chat_id: chat,
      p_bot: 'jbot',
      p_text: `${title}\n${text}`,
      p_body: { kind: 'note', open_loops: loops.length },
      p_idempotency_key: `open-loops:${context.idempotencyKey}:${chat}`,
    });
  }
  await context.channel.post({ kind: 'note', title, text });
  return { loops };
}

/** jbot's open loops: at 16:00 on weekdays, what the operator asked for that has not closed. */
export const openLoops = defineJob<OpenLoopsConfig>({
  id: 'open-loops',
  schedule: '0 16 * * 1-5',
  description: "End-of-afternoon list of what the operator asked for that hasn't closed (Telegram + #jbot)",
  timeoutMs: 60_000,
  // A daily list: a missed afternoon is caught up once, within the working evening.
  missed: 'once',
  graceMs: 3 * 3600_000,
  // The runtime lays these over jbot's own settings, so the run sees both (OpenLoopsConfig).
  settings: openLoopsSettings as unknown as Settings<OpenLoopsConfig>,
  async run(context) {
    const { loops } = await runOpenLoops(context, context.config);
    const fingerprint = fingerprintOf(loops.map((loop) => [loop.kind, loop.item_id]));
    const detail = { loops: loops.length, kinds: loops.map((loop) => loop.kind) };
    if (loops.length === 0) {
      if (context.manual)
        await context.channel.post({
          kind: 'note',
          title: 'open-loops: nothing to report',
          text: 'Everything the operator asked for has a draft, an approval or a result.',
        });
      return jobOutcome(NOTHING_TO_REPORT, { fingerprint, detail });
    }
    context.log.info(detail, `open loops: ${loops.length}`);
    return jobOutcome(`${loops.length} open loop${loops.length === 1 ? '' : 's'}, sent to Telegram and #jbot`, { fingerprint, detail });
  },
});

function clip(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}
