import type { LlmConfig } from '@jbot/core';
import type { ConnectorsConfig } from '@jbot/connectors';
import type { TelegramConfig } from '@jbot/channels';
import { fail, pass, skip, type CheckResult } from './doctor-check.js';

const TIMEOUT_MS = 10_000;

type Answer = { status: number; body: unknown } | { error: string };

// One cheap authenticated GET; network failures come back as a value, never thrown.
async function get(url: string, headers: Record<string, string>): Promise<Answer> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).name };
  }
}

function failure(name: string, answer: Answer, origin: string, rejected: string, baseVariable: string): CheckResult {
  if ('error' in answer) return fail(name, `cannot reach ${origin} (${answer.error}): check ${baseVariable} and that this server may make outbound HTTPS requests`);
  if (answer.status === 401 || answer.status === 403) return fail(name, `rejected (HTTP ${answer.status}): ${rejected}`);
  return fail(name, `unexpected HTTP ${answer.status} from ${origin}: retry, then check ${baseVariable}`);
}

/** Discord: GET /users/@me with the bot token. */
export async function checkDiscord(token: string | undefined, apiBase: string | undefined): Promise<CheckResult> {
  if (token === undefined) return skip('DISCORD_TOKEN', 'not set: bots post to the local console channel');
  const base = (apiBase ?? 'https://discord.com/api/v10').replace(/\/+$/, '');
  const answer = await get(`${base}/users/@me`, { authorization: `Bot ${token}` });
  if ('status' in answer && answer.status === 200) return pass('DISCORD_TOKEN', `valid (bot ${String((answer.body as { username?: string }).username ?? '?')})`);
  return failure('DISCORD_TOKEN', answer, new URL(base).origin, 'reset the token (Developer Portal → your application → Bot → Reset Token) and put the new one in DISCORD_TOKEN', 'DISCORD_API_BASE');
}

/** Telegram: getMe with the bot token. */
export async function checkTelegram(config: TelegramConfig): Promise<CheckResult> {
  if (config.token === undefined) return skip('TELEGRAM_BOT_TOKEN', 'not set: jbot records escalations locally instead of sending them');
  const root = config.apiRoot ?? 'https://api.telegram.org';
  const answer = await get(`${root}/bot${config.token}/getMe`, {});
  if ('status' in answer && answer.status === 200 && (answer.body as { ok?: boolean }).ok === true) return pass('TELEGRAM_BOT_TOKEN', `valid (@${String((answer.body as { result?: { username?: string } }).result?.username ?? '?')})`);
  if ('status' in answer && answer.status === 404) return fail('TELEGRAM_BOT_TOKEN', 'rejected (HTTP 404, no such bot): copy the token from @BotFather (/token) into TELEGRAM_BOT_TOKEN');
  return failure('TELEGRAM_BOT_TOKEN', answer, new URL(root).origin, 'copy the token from @BotFather (/token) into TELEGRAM_BOT_TOKEN', 'TELEGRAM_API_ROOT');
}

/** Anthropic: list the models the key may use, and that the configured ones are among them. */
export async function checkAnthropic(config: Pick<LlmConfig, 'apiKey' | 'baseUrl' | 'models'>): Promise<CheckResult[]> {
  if (config.apiKey === undefined) return [skip('ANTHROPIC_API_KEY', 'not set: the offline drafter writes labelled template drafts')];
  const base = (config.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '').replace(/\/v1$/, '');
  const answer = await get(`${base}/v1/models?limit=1000`, { 'x-api-key': config.apiKey, 'anthropic-version': '2023-06-01' });
  if (!('status' in answer) || answer.status !== 200) return [failure('ANTHROPIC_API_KEY', answer, new URL(base).origin, 'create a key (console.anthropic.com → API keys) and put it in ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL')];
  const available = new Set(((answer.body as { data?: Array<{ id?: string }> }).data ?? []).map((model) => model.id));
  const results = [pass('ANTHROPIC_API_KEY', `valid (${available.size} models available)`)];
  for (const [tier, model] of Object.entries(config.models)) {
    const variable = `LLM_MODEL_${tier.toUpperCase()}`;
    if (!available.has(model)) results.push(fail(variable, `"${model}" is not a model this key can use: set ${variable} to one of ${[...available].slice(0, 6).join(', ')}`));
  }
  return results;
}

/** Connectors: one cheap read per live vendor with its credentials. */
export async function checkConnectors(config: ConnectorsConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (config.hubspot === undefined) results.push(skip('HUBSPOT_ACCESS_TOKEN', 'not set: salesbot uses the sample CRM'));
  else {
    const answer = await get(`${config.hubspot.basePath}/crm/v3/owners?limit=1`, { authorization: `Bearer ${config.hubspot.accessToken}` });
    results.push('status' in answer && answer.status === 200
      ? pass('HUBSPOT_ACCESS_TOKEN', 'valid (owners readable)')
      : failure('HUBSPOT_ACCESS_TOKEN', answer, new URL(config.hubspot.basePath).origin, 'use the private app\'s access token (Settings → Integrations → Private apps) with the scopes listed in .env.example', 'HUBSPOT_API_BASE'));
  }
  if (config.shopify !== undefined) {
    const base = (config.shopify.apiBase ?? `https://${config.shopify.storeDomain}`).replace(/\/+$/, '');
    const answer = await get(`${base}/admin/api/${config.shopify.apiVersion}/shop.json`, { 'x-shopify-access-token': config.shopify.accessToken });
    results.push('status' in answer && answer.status === 200
      ? pass('SHOPIFY_ADMIN_ACCESS_TOKEN', `valid (${config.shopify.storeDomain})`)
      : failure('SHOPIFY_ADMIN_ACCESS_TOKEN', answer, new URL(base).origin, 'use the custom app\'s Admin API access token (Settings → Apps → Develop apps) for SHOPIFY_STORE_DOMAIN', 'SHOPIFY_STORE_DOMAIN / SHOPIFY_API_BASE'));
  }
  if (config.meta !== undefined) {
    const base = (config.meta.apiBase ?? 'https://graph.facebook.com').replace(/\/+$/, '');
    const answer = await get(`${base}/${config.meta.adAccountId}?fields=name`, { authorization: `Bearer ${config.meta.accessToken}` });
    results.push('status' in answer && answer.status === 200
      ? pass('META_ACCESS_TOKEN', `valid (ad account ${config.meta.adAccountId})`)
      : failure('META_ACCESS_TOKEN', answer, new URL(base).origin, 'use a system user token with ads_read/ads_management for META_AD_ACCOUNT_ID (Business Settings → System users)', 'META_API_BASE'));
  }
  return results;
}
