import { defineBot } from '@jbot/core';

/** contentbot — SEO, product copy and Amazon listings. */
export const contentbot = defineBot({
  name: 'contentbot',
  purpose: 'SEO, product copy and Amazon listings',
  channel: '#content-bot',
  jobs: [],
  on: {},
});
