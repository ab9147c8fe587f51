import { defineBot, loggingHandlers } from '@jbot/core';

/** mktgbot — Watches Meta Ads and Klaviyo: spend, fatigue, flows; proposes pauses for products going out of stock. */
export const mktgbot = defineBot({
  name: 'mktgbot',
  purpose: 'Watches Meta Ads and Klaviyo: spend, fatigue, flows; proposes pauses for products going out of stock',
  channel: '#mktg-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: loggingHandlers(['freight_delay']),
});
