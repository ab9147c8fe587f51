import { defineBot } from '@jbot/core';
import { signalTypes } from './signals.js';

/** studiobot — influencers and UGC. Its catalogue jobs are not built yet. */
export const studiobot = defineBot({
  name: 'studiobot',
  jobs: [],
  signalTypes,
});
