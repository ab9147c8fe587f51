import { defineBot } from '@jbot/core';
import { signalTypes } from './signals.js';

/** adsbot — ad creative and fatigue detection. Its catalogue jobs are not built yet. */
export const adsbot = defineBot({
  name: 'adsbot',
  jobs: [],
  signalTypes,
});
