import { envSettings, timeZone, type SettingsOf } from '@jbot/core';

/** opsbot's own settings (handlers and replies): the company's zone, which decides what "today" is for an LFD. */
export const opsbotSettings = envSettings({ FLEET_TZ: timeZone('UTC') });

/** The parsed settings (`ctx.config` in opsbot's handlers and replies). */
export type OpsbotConfig = SettingsOf<typeof opsbotSettings>;
