// The one place `pnpm bench day` learns what the fleet is: every bot's declaration, as the bot
// processes would build it, with jbot pointed at the Telegram emulator and its routing clock (quiet
// hours) on the simulated day. The bench reads jobs, handlers and executors from these
// declarations, so a catalogue job added to a bot is in the bench with no edit here; when the
// fleet roster lands, this file becomes a loop over it.
import type { BotDefinition, Env } from '@jbot/core';
import { adsbot } from '../bots/adsbot/src/index.js';
import { contentbot } from '../bots/contentbot/src/index.js';
import { createJbot } from '../bots/jbot/src/index.js';
import { mktgbot } from '../bots/mktgbot/src/index.js';
import { opsbot } from '../bots/opsbot/src/index.js';
import { salesbot } from '../bots/salesbot/src/index.js';
import { shipbot } from '../bots/shipbot/src/index.js';
import { socialbot } from '../bots/socialbot/src/index.js';
import { studiobot } from '../bots/studiobot/src/index.js';
import { sysbot } from '../bots/sysbot/src/index.js';

/** What the assembled fleet depends on in the bench. */
export interface DayFleetOptions {
  /** jbot's environment: the Telegram emulator's token, API root and operator chat, FLEET_TZ. */
  jbotEnv: Env;
  /** The simulated day's clock, for decisions bots make by time of day (quiet hours). */
  now: () => Date;
}

/** Every bot of the fleet, declared as its process would declare it. */
export function dayFleet(options: DayFleetOptions): BotDefinition[] {
  return [createJbot({ env: options.jbotEnv, now: options.now }), salesbot, mktgbot, opsbot, shipbot, contentbot, adsbot, socialbot, studiobot, sysbot];
}
