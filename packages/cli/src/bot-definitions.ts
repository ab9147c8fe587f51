import type { BotDefinition } from '@jbot/core';
import { adsbot } from '@jbot/adsbot';
import { contentbot } from '@jbot/contentbot';
import { jbot } from '@jbot/jbot';
import { mktgbot } from '@jbot/mktgbot';
import { opsbot } from '@jbot/opsbot';
import { salesbot } from '@jbot/salesbot';
import { shipbot } from '@jbot/shipbot';
import { socialbot } from '@jbot/socialbot';
import { studiobot } from '@jbot/studiobot';
import { sysbot } from '@jbot/sysbot';

/** Every bot's declaration, for commands that list jobs (the CLI never runs bot code itself). */
export const botDefinitions: readonly BotDefinition[] = [jbot, salesbot, mktgbot, opsbot, shipbot, contentbot, adsbot, socialbot, studiobot, sysbot];
