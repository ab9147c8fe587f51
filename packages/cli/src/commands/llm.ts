import { LLM_KILL_SWITCH_KEY, loadLlmConfig } from '@jbot/core';
import type { Command } from '../command.js';
import { openBrain } from '../open-brain.js';

/**
 * `fleet llm off|on|status`: the fleet-wide kill switch. Off stops every bot's model calls at
 * once (each call checks the switch before it is sent); on resumes them.
 */
export const llmCommand: Command = {
  name: 'llm',
  summary: 'the LLM kill switch: `off` stops every model call in the fleet now, `on` resumes',
  usage: 'fleet llm off|on|status',
  async run(argv, io) {
    const [action = 'status'] = argv;
    if (!['off', 'on', 'status'].includes(action)) {
      io.error(`usage: ${this.usage}`);
      return 64;
    }
    const session = await openBrain(io.env);
    try {
      if (action !== 'status') {
        await session.db.rpc('set_fleet_setting', { p_key: LLM_KILL_SWITCH_KEY, p_value: { enabled: action === 'off' }, p_updated_by: `cli:${io.env['USER'] ?? 'operator'}` });
      }
      io.out(await llmStatusLine(session.db, io.env));
      return 0;
    } finally {
      await session.close();
    }
  },
};

/** One line on the LLM layer: offline drafter or models, the switch, and today's spend against the caps. */
export async function llmStatusLine(db: import('@jbot/core').Db, env: NodeJS.ProcessEnv): Promise<string> {
  const config = loadLlmConfig(env);
  const [setting] = await db.rpc<{ value: { enabled?: unknown } | null }>('get_fleet_setting', { p_key: LLM_KILL_SWITCH_KEY });
  const spend = await db.rpc<{ bot: string; cost_usd: number }>('llm_spend_today');
  const today = spend.reduce((sum, row) => sum + row.cost_usd, 0);
  const killed = config.killSwitch ? ' · SWITCHED OFF (LLM_KILL_SWITCH)' : setting?.value?.enabled === true ? ' · SWITCHED OFF (`fleet llm on` resumes)' : '';
  const engine = config.apiKey === undefined ? 'offline drafter (no ANTHROPIC_API_KEY: labelled template drafts, $0)' : `Claude — fast ${config.models.fast}, smart ${config.models.smart}`;
  return `LLM: ${engine}${killed} · today $${today.toFixed(4)} of $${config.fleetDailyUsd.toFixed(2)} fleet cap`;
}
