import { defineBot } from '@jbot/core';

/** adsbot — Ad creative and fatigue detection. */
export const adsbot = defineBot({
  name: 'adsbot',
  purpose: "Ad creative and fatigue detection",
  channel: '#ads-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
  },
});
