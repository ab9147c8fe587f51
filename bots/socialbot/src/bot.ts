import { defineBot } from '@jbot/core';

/** socialbot — The social calendar across platforms. */
export const socialbot = defineBot({
  name: 'socialbot',
  purpose: 'The social calendar across platforms',
  channel: '#social-bot',
  jobs: [],
  on: {},
});
