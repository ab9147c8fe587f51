import { probeFailure, type ServiceProbe } from '@jbot/core';

/** Whether the bot token works: grammY's `getMe` (grammY loaded only here, on demand). */
export async function probeTelegram(config: { token: string; apiRoot?: string }): Promise<ServiceProbe> {
  const { Api } = await import('grammy');
  const api = new Api(config.token, { ...(config.apiRoot === undefined ? {} : { apiRoot: config.apiRoot }), timeoutSeconds: 10 });
  try {
    const me = await api.getMe();
    return { ok: true, detail: `@${me.username}` };
  } catch (error) {
    return probeFailure(error);
  }
}
