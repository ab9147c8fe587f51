import { LLM_KILL_SWITCH_KEY, loadLlmConfig } from '@jbot/core';
import { defineCommand } from '../command.js';
import { UsageError } from '../usage-error.js';
import { openBrain } from '../open-brain.js';

/**
 * `fleet llm off|on|status`: the fleet-wide kill switch. Off stops every bot's model calls at
 * once (each call checks the switch before it is sent); on resumes them.
 */
export const llmCommand = defineCommand({
  name: 'llm',
  summary: 'the LLM kill switch: `off` stops every model call in the fleet now, `on` resumes',
  arguments: '[off|on|status]',
  positionals: { min: 0, max: 1 },
  options: {},
  async run({ positionals }, io) {
    const [action = 'status'] = positionals;
    if (!['off', 'on', 'status'].includes(action)) throw new UsageError(`unknown action "${action}": use off, on or status`);
    const session = await openBrain(io.env);
    try {
      if (action !== 'status') {
        await session.db.rpc('set_fleet_setting', {
          p_key: LLM_KILL_SWITCH_KEY,
          p_value: { enabled: action === 'off' },
          p_updated_by: `cli:${io.env['USER'] ?? 'operator'}`,
        });
      }
      io.out(await llmStatusLine(session.db, io.env));
      return 0;
    } finally {
      await session.close();
    }
  },
});

/** One line on the LLM layer: offline drafter or models, the switch, and today's spend against the caps. */
export async function llmStatusLine(db: import('@jbot/core').Db, env: NodeJS.ProcessEnv): Promise<string> {
  const config = loadLlmConfig(env);
  const [setting] = await db.rpc<{ value: { enabled?: unknown } | null }>('get_fleet_setting', { p_key: LLM_KILL_SWITCH_KEY });
  const spend = await db.rpc<{ bot: string; cost_usd: number }>('llm_spend_today');
  const today = spend.reduce((sum, row) => sum + row.cost_usd, 0);
  const killed = config.killSwitch ? ' · SWITCHED OFF (LLM_KILL_SWITCH)' : setting?.value?.enabled === true ? ' · SWITCHED OFF (`fleet llm on` resumes)' : '';
  const engine =
    config.apiKey === undefined
      ? 'offline drafter (no ANTHROPIC_API_KEY: labelled template drafts, $0)'
      : `Claude — fast ${config.models.fast}, smart ${config.models.smart}`;
  return `LLM: ${engine}${killed} · today $${today.toFixed(4)} of $${config.fleetDailyUsd.toFixed(2)} fleet cap`;
}
