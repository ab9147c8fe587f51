import { readFleetHeartbeats, type BotContext, type ChannelHealth } from '@jbot/core';
import type { ChannelProblem } from './jobs/channel-liveness.js';

// What to do about each kind of dead channel, by what the last error says.
function advice(problem: ChannelProblem, lastError: string): string {
  if (problem.check === 'outbound')
    return problem.channel === 'telegram'
      ? 'the lines stay queued and go out once Telegram takes them; `pnpm fleet status` shows whether the inbox receives'
      : 'check DISCORD_TOKEN and the channel ids (`pnpm fleet doctor`); failed posts are in channel_messages';
  if (problem.channel === 'telegram') {
    if (/\b409\b|conflict/i.test(lastError))
      return 'another process polls with this bot token (a second jbot without the lease, or another tool): stop it, or give it its own token';
    if (/\b401\b|unauthorized/i.test(lastError)) return 'the bot token was revoked: set a new TELEGRAM_BOT_TOKEN from @BotFather and restart jbot';
    return 'Telegram or the network to it is failing; jbot keeps restarting its poller and catches up on the waiting messages when it answers (https://downdetector.com/status/telegram)';
  }
  if (/\b4004\b|authentication/i.test(lastError))
    return 'the Discord token was rejected: reset it in the Developer Portal, set DISCORD_TOKEN, restart the fleet';
  return 'Discord or the network to it is failing (https://discordstatus.com); each bot keeps logging in again and picks up where it was';
}

/**
 * sysbot's answer to the operator's reply on a channel_down: the outage as raised, each live
 * process's reading of that channel now (so "is it back?" has an answer), and what to do.
 */
export async function answerChannelDown(problem: ChannelProblem, context: BotContext): Promise<string> {
  const now: string[] = [];
  let lastError = problem.detail;
  for (const row of await readFleetHeartbeats(context.db)) {
    if (row.status !== 'running') continue;
    const health = (row.detail as { channels?: Record<string, ChannelHealth> }).channels?.[problem.channel];
    if (health === undefined || health.state === 'stopped') continue;
    if (health.lastError !== null) lastError = `${lastError} ${health.lastError}`;
    now.push(`${row.bot}@${row.host} ${health.state} (last received ${health.lastReceivedAt ?? 'never'}, last sent ${health.lastSentAt ?? 'never'})`);
  }
  const name = problem.channel === 'telegram' ? 'Telegram' : 'Discord';
  return `${name} ${problem.check} down since ${problem.since}: ${problem.detail}. Now: ${now.length === 0 ? 'no live process reports it' : now.join('; ')}. What to do: ${advice(problem, lastError)}.`;
}
