import { defineBot } from '@jbot/core';

/** studiobot — Influencers and UGC. */
export const studiobot = defineBot({
  name: 'studiobot',
  purpose: "Influencers and UGC",
  channel: '#studio-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
  },
});
