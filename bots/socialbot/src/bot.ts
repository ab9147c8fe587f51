import { defineBot } from '@jbot/core';
import { signalTypes } from './signals.js';

/** socialbot — the social calendar across platforms. Its catalogue jobs are not built yet. */
export const socialbot = defineBot({
  name: 'socialbot',
  jobs: [],
  signalTypes,
});
