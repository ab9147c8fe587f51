import { probeFailure, type ServiceProbe } from '@jbot/core';

/** Whether the bot token works: discord.js REST `GET /users/@me` (discord.js loaded only here, on demand). */
export async function probeDiscord(config: { token: string; apiBase?: string }): Promise<ServiceProbe> {
  const { REST, Routes } = await import('discord.js');
  // No retries and a short timeout: a doctor reports, it does not wait out rate limits.
  const rest = new REST({ version: '10', retries: 0, timeout: 10_000, ...(config.apiBase === undefined ? {} : { api: config.apiBase }) }).setToken(
    config.token,
  );
  try {
    const user = (await rest.get(Routes.user('@me'))) as { username?: string };
    return { ok: true, detail: `bot ${user.username ?? '?'}` };
  } catch (error) {
    return probeFailure(error);
  }
}
