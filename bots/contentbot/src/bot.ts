import { defineBot } from '@jbot/core';

/** contentbot — SEO, product copy and Amazon listings. */
export const contentbot = defineBot({
  name: 'contentbot',
  purpose: "SEO, product copy and Amazon listings",
  channel: '#content-bot',
  jobs: [],
  // Until this bot's workflows land, its handlers log each signal so delivery is visible end to end.
  on: {
  },
});
