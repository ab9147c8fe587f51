import { botBudgetUsd, defineJob, jobOutcome, loadLlmConfig, settingsFrom } from '@jbot/core';

/** Share of a daily cap at which sysbot warns, before the hard cap refuses calls. */
const WARN_AT = 0.8;

interface SpendRow {
  [column: string]: unknown;
  bot: string;
  calls: number;
  cost_usd: number;
  day: string;
}

/** One bot's (or the fleet's) spend today against its cap. */
export interface SpendLine {
  scope: string;
  calls: number;
  spentUsd: number;
  capUsd: number;
  share: number;
}

/**
 * Cost watchdog: every 15 minutes, today's LLM spend (UTC day) per bot and for the fleet against
 * the caps; at 80% of a cap a `budget_exceeded` warning, at 100% an alert — once per bot and
 * level per day (the LLM layer itself refuses calls past the cap). The spend report goes to
 * sysbot's channel on the hour and on a manual run: a new threshold is posted at once as its
 * signal, so a report every 15 minutes would only repeat itself on the work floor.
 */
export const costWatchdog = defineJob({
  id: 'cost-watchdog',
  schedule: '*/15 * * * *',
  description: "Today's LLM spend per bot against its budget → #sys-bot; budget_exceeded past 80% / 100%",
  timeoutMs: 30_000,
  // The caps it reports against are the LLM layer's own settings, parsed once at start-up.
  settings: settingsFrom((env) => ({ llm: loadLlmConfig(env) })),
  async run(context) {
    const config = context.config.llm;
    const rows = await context.db.rpc<SpendRow>('llm_spend_today', { p_now: context.scheduledFor.toISOString() });
    const day = rows[0]?.day === undefined ? context.scheduledFor.toISOString().slice(0, 10) : String(rows[0].day).slice(0, 10);
    const lines: SpendLine[] = rows.map((row) => line(row.bot, row.calls, row.cost_usd, botBudgetUsd(config, row.bot)));
    const fleet = line(
      'fleet',
      rows.reduce((sum, row) => sum + row.calls, 0),
      rows.reduce((sum, row) => sum + row.cost_usd, 0),
      config.fleetDailyUsd,
    );
    const raised: string[] = [];
    let newlyRaised = 0;
    for (const item of [...lines, fleet]) {
      if (item.share < WARN_AT) continue;
      const level = item.share >= 1 ? 'alert' : 'warning';
      const emitted = await context.signals.emit(
        'budget_exceeded',
        { bot: item.scope, scope: item.scope === 'fleet' ? 'fleet' : 'bot', cap_usd: item.capUsd, spent_usd: Number(item.spentUsd.toFixed(6)), day },
        // The alert shares the LLM layer's key (budget_exceeded:<bot>:<day>): a bot refused a
        // call and seen over its cap here still makes one alert that day, not two.
        {
          severity: level,
          dedupeKey: level === 'alert' ? `budget_exceeded:${item.scope}:${day}` : `cost-watchdog:${item.scope}:${level}:${day}`,
          dedupeWindowMs: 86_400_000,
          sharedKey: level === 'alert',
        },
      );
      raised.push(`${item.scope} ${level}`);
      if (!emitted.deduplicated) newlyRaised += 1;
    }
    const report = context.manual || context.scheduledFor.getUTCMinutes() === 0;
    if (!report) {
      context.log.info({ spentUsd: fleet.spentUsd, raised }, `cost watchdog: fleet $${fleet.spentUsd.toFixed(4)} of $${fleet.capUsd.toFixed(2)}`);
      return jobOutcome(spendOutcome(fleet, raised), { detail: { day, fleetUsd: fleet.spentUsd, bots: lines.length, raised, newlyRaised, posted: false } });
    }
    const engine = config.apiKey === undefined ? 'offline drafter ($0)' : `${config.models.fast} / ${config.models.smart}`;
    await context.channel.post({
      kind: 'report',
      title: `LLM spend today (${day} UTC): $${fleet.spentUsd.toFixed(4)} of $${fleet.capUsd.toFixed(2)}`,
      text:
        lines.length === 0
          ? `No model calls today · ${engine}`
          : lines
              .map(
                (item) => `${item.scope}: ${item.calls} calls, $${item.spentUsd.toFixed(4)} of $${item.capUsd.toFixed(2)} (${Math.round(item.share * 100)}%)`,
              )
              .join('\n'),
      severity: raised.some((item) => item.endsWith('alert')) ? 'alert' : raised.length > 0 ? 'warning' : 'info',
    });
    context.log.info({ spentUsd: fleet.spentUsd, raised }, `cost watchdog: fleet $${fleet.spentUsd.toFixed(4)} of $${fleet.capUsd.toFixed(2)}`);
    return jobOutcome(`${spendOutcome(fleet, raised)}, report posted`, {
      detail: { day, fleetUsd: fleet.spentUsd, bots: lines.length, raised, newlyRaised, posted: true },
    });
  },
});

// The run's one line in `fleet runs`.
function spendOutcome(fleet: SpendLine, raised: readonly string[]): string {
  return `fleet $${fleet.spentUsd.toFixed(4)} of $${fleet.capUsd.toFixed(2)}${raised.length === 0 ? '' : `; ${raised.join(', ')}`}`;
}

function line(scope: string, calls: number, spentUsd: number, capUsd: number): SpendLine {
  return { scope, calls, spentUsd, capUsd, share: capUsd <= 0 ? 1 : spentUsd / capUsd };
}
