import { defineBot } from '@jbot/core';
import { signalTypes } from './signals.js';

/** contentbot — SEO, product copy and Amazon listings. Its catalogue jobs are not built yet. */
export const contentbot = defineBot({
  name: 'contentbot',
  jobs: [],
  signalTypes,
});
