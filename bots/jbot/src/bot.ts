import { defineBot, loggingHandlers } from '@jbot/core';

/** jbot — The operator's assistant: routes what matters to Telegram and the operator's replies back to the right bot. */
export const jbot = defineBot({
  name: 'jbot',
  purpose: "The operator's assistant: routes what matters to Telegram and the operator's replies back to the right bot",
  channel: '#jbot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: loggingHandlers(['stale_deals', 'freight_delay', 'job_failed', 'job_missed', 'budget_exceeded', 'bot_unhealthy']),
});
