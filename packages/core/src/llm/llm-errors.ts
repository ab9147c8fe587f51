import { FleetError } from '../errors/fleet-error.js';

/** A call was refused before it was sent: it would take the bot or the fleet past today's cap. */
export class BudgetExceededError extends FleetError {
  constructor(facts: { bot: string; scope: 'bot' | 'fleet'; capUsd: number; spentUsd: number; estimateUsd: number; day: string }) {
    super(
      'llm_budget_exceeded',
      `LLM budget exceeded: ${facts.scope === 'bot' ? facts.bot : 'the fleet'} has spent ${dollars(facts.spentUsd)} of its ${dollars(facts.capUsd)} daily cap (${facts.day} UTC); this call (~${dollars(facts.estimateUsd)}) was not sent. It resumes at 00:00 UTC, or raise ${facts.scope === 'bot' ? 'LLM_BOT_BUDGETS_USD / LLM_BOT_DAILY_BUDGET_USD' : 'LLM_DAILY_BUDGET_USD'}`,
      { facts },
    );
  }
}

// Cents matter for caps like $0.05, and fractions of a cent for a single call.
function dollars(value: number): string {
  return `$${value.toFixed(Math.abs(value) >= 1 ? 2 : 4)}`;
}

/** The fleet's LLM kill switch is on (LLM_KILL_SWITCH or `fleet llm off`): no call is sent. */
export class LlmKillSwitchError extends FleetError {
  constructor(source: 'env' | 'database') {
    super(
      'llm_killed',
      `LLM calls are switched off (${source === 'env' ? 'LLM_KILL_SWITCH=true' : 'the fleet_settings kill switch; `pnpm fleet llm on` to resume'}); no request was sent`,
      { facts: { source } },
    );
  }
}

/** The model's answer could not be used (invalid JSON after one repair, or the tool loop hit its step cap). */
export class LlmOutputError extends FleetError {
  constructor(message: string, facts: Record<string, unknown> = {}) {
    super('llm_output_invalid', message, { facts });
  }
}
