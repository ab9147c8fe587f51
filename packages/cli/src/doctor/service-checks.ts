import { probeAnthropic, type LlmConfig, type ServiceProbe } from '@jbot/core';
import {
  probeAmazonSpApi,
  probeAnthropicAdmin,
  probeEasyPost,
  probeHubSpot,
  probeMetaAds,
  probeMetaCreators,
  probeMetaSocial,
  probeShopify,
  probeSftpWarehouse,
  type ConnectorsConfig,
} from '@jbot/connectors';
import { probeDiscord, probeTelegram, type TelegramConfig } from '@jbot/channels';
import { fail, pass, skip, type CheckResult } from './doctor-check.js';
import { searchAnalyticsChecks } from './search-analytics-checks.js';

// Each probe is one cheap authenticated call made by the vendor's own library, where that vendor
// lives (channels, connectors, the LLM layer); here its answer becomes one line with what to do.

function checked(name: string, probe: ServiceProbe, origin: string, rejected: string, baseVariable: string): CheckResult {
  if (probe.ok) return pass(name, `valid (${probe.detail})`);
  if ('unreachable' in probe)
    return fail(name, `cannot reach ${origin} (${probe.unreachable}): check ${baseVariable} and that this server may make outbound HTTPS requests`);
  if (probe.status === 401 || probe.status === 403) return fail(name, `rejected (HTTP ${probe.status}): ${rejected}`);
  return fail(name, `unexpected HTTP ${probe.status} from ${origin}: retry, then check ${baseVariable}`);
}

/** Discord: GET /users/@me with the bot token. */
export async function checkDiscord(token: string | undefined, apiBase: string | undefined): Promise<CheckResult> {
  if (token === undefined) return skip('DISCORD_TOKEN', 'not set: bots post to the local console channel');
  const probe = await probeDiscord({ token, ...(apiBase === undefined ? {} : { apiBase }) });
  return checked(
    'DISCORD_TOKEN',
    probe,
    new URL(apiBase ?? 'https://discord.com').origin,
    'reset the token (Developer Portal → your application → Bot → Reset Token) and put the new one in DISCORD_TOKEN',
    'DISCORD_API_BASE',
  );
}

/** Telegram: getMe with the bot token. */
export async function checkTelegram(config: TelegramConfig): Promise<CheckResult> {
  if (config.token === undefined) return skip('TELEGRAM_BOT_TOKEN', 'not set: jbot records escalations locally instead of sending them');
  const probe = await probeTelegram({ token: config.token, ...(config.apiRoot === undefined ? {} : { apiRoot: config.apiRoot }) });
  if (!probe.ok && 'status' in probe && probe.status === 404)
    return fail('TELEGRAM_BOT_TOKEN', 'rejected (HTTP 404, no such bot): copy the token from @BotFather (/token) into TELEGRAM_BOT_TOKEN');
  return checked(
    'TELEGRAM_BOT_TOKEN',
    probe,
    new URL(config.apiRoot ?? 'https://api.telegram.org').origin,
    'copy the token from @BotFather (/token) into TELEGRAM_BOT_TOKEN',
    'TELEGRAM_API_ROOT',
  );
}

/** Anthropic: list the models the key may use, and that the configured ones are among them. */
export async function checkAnthropic(config: Pick<LlmConfig, 'apiKey' | 'baseUrl' | 'models'>): Promise<CheckResult[]> {
  if (config.apiKey === undefined) return [skip('ANTHROPIC_API_KEY', 'not set: the offline drafter writes labelled template drafts')];
  const probe = await probeAnthropic(config);
  const result = checked(
    'ANTHROPIC_API_KEY',
    probe,
    new URL(config.baseUrl ?? 'https://api.anthropic.com').origin,
    'create a key (console.anthropic.com → API keys) and put it in ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
  );
  if (!probe.ok) return [result];
  const available = new Set([...(probe.models ?? [])].sort());
  const results = [result];
  for (const [tier, model] of Object.entries(config.models)) {
    const variable = `LLM_MODEL_${tier.toUpperCase()}`;
    if (!available.has(model))
      results.push(fail(variable, `"${model}" is not a model this key can use: set ${variable} to one of ${[...available].slice(0, 6).join(', ')}`));
  }
  return results;
}

/** Connectors: one cheap read per live vendor with its credentials. */
export async function checkConnectors(config: ConnectorsConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (config.hubspot === undefined) results.push(skip('HUBSPOT_ACCESS_TOKEN', 'not set: salesbot uses the sample CRM'));
  else {
    results.push(
      checked(
        'HUBSPOT_ACCESS_TOKEN',
        await probeHubSpot(config.hubspot),
        new URL(config.hubspot.basePath).origin,
        "use the private app's access token (Settings → Integrations → Private apps) with the scopes listed in .env.example",
        'HUBSPOT_API_BASE',
      ),
    );
  }
  // Xero's refresh token is single-use: a probe here would rotate it outside the brain, so doctor only says the books are Xero's.
  if (config.xero !== undefined)
    results.push(skip('XERO_CLIENT_ID', `set: salesbot reads Xero (tenant ${config.xero.tenantId}); the token is refreshed on first use`));
  if (config.shopify !== undefined) {
    results.push(
      checked(
        'SHOPIFY_ADMIN_ACCESS_TOKEN',
        await probeShopify(config.shopify),
        new URL(config.shopify.apiBase ?? `https://${config.shopify.storeDomain}`).origin,
        "use the custom app's Admin API access token (Settings → Apps → Develop apps) for SHOPIFY_STORE_DOMAIN",
        'SHOPIFY_STORE_DOMAIN / SHOPIFY_API_BASE',
      ),
    );
  }
  if (config.meta !== undefined) {
    results.push(
      checked(
        'META_ACCESS_TOKEN',
        await probeMetaAds(config.meta),
        new URL(config.meta.apiBase ?? 'https://graph.facebook.com').origin,
        'use a system user token with ads_read/ads_management for META_AD_ACCOUNT_ID (Business Settings → System users)',
        'META_API_BASE',
      ),
    );
  }
  // Like Meta Ads, organic is silent when Meta is not configured at all.
  if (config.metaSocial === undefined) {
    if (config.meta !== undefined) results.push(skip('META_IG_USER_ID', 'not set: socialbot uses the sample Instagram and Facebook accounts'));
  } else {
    results.push(
      checked(
        'META_IG_USER_ID / META_PAGE_ID',
        await probeMetaSocial(config.metaSocial),
        new URL(config.metaSocial.apiBase ?? 'https://graph.facebook.com').origin,
        'use a token with instagram_basic, instagram_manage_comments, instagram_content_publish, pages_manage_posts and pages_read_engagement',
        'META_SOCIAL_API_BASE',
      ),
    );
    // Catalogue §10: TikTok and Pinterest organic have a sample adapter only in this round.
    results.push(skip('TikTok / Pinterest organic', 'sample adapter only: socialbot reads and writes the sample company for these platforms'));
  }
  // studiobot: creators on Instagram and seeding parcels on EasyPost. Attribution (creator-roi) and
  // where assets run (ugc-rights-expiry) have only the sample adapter yet: said here, not hidden.
  if (config.instagram !== undefined) {
    results.push(
      checked(
        'META_IG_ACCOUNTS',
        await probeMetaCreators(config.instagram),
        new URL(config.instagram.apiBase ?? 'https://graph.facebook.com').origin,
        'use a token with instagram_basic, instagram_manage_comments and instagram_manage_messages for each BRAND=ig-user-id',
        'META_API_BASE',
      ),
    );
    results.push(
      skip(
        'creators attribution / asset usage',
        'sample adapter only: creator-roi and ugc-rights-expiry run on the sample company until Shopify/GA4 and Meta ad assets are wired',
      ),
    );
  }
  if (config.easypost !== undefined) {
    results.push(
      checked(
        'EASYPOST_API_KEY',
        await probeEasyPost(config.easypost),
        new URL(config.easypost.apiBase ?? 'https://api.easypost.com').origin,
        'use a production API key (EasyPost → Account → API Keys)',
        'EASYPOST_API_BASE',
      ),
    );
  }
  // Said plainly (catalogue §10.10): these have no live adapter yet, whatever the env says.
  if (config.warehouseSftp === undefined) results.push(skip('WMS_SFTP_HOST', 'not set: shipbot reads the 3PL files from the sample company'));
  else {
    const probe = await probeSftpWarehouse({ ...config.warehouseSftp, timeoutMs: config.timeoutMs });
    results.push(
      probe.ok ? pass('WMS_SFTP_HOST', `valid (${probe.detail})`) : fail('WMS_SFTP_HOST', 'unreachable' in probe ? probe.unreachable : `HTTP ${probe.status}`),
    );
  }
  results.push(skip('PURCHASING', 'only the sample adapter exists: open POs and supplier lead times come from the sample company'));
  results.push(
    skip(
      'Paid media: Google Ads / TikTok / Pinterest / Amazon Ads',
      'sample adapter only: mktgbot reads these four platforms from the sample company (Meta is live with META_ACCESS_TOKEN)',
    ),
  );
  if (config.amazon !== undefined) {
    results.push(
      checked(
        'AMAZON_SP_API_REFRESH_TOKEN',
        await probeAmazonSpApi({ ...config.amazon, timeoutMs: config.timeoutMs }),
        new URL(config.amazon.apiBase).origin,
        "use the app's LWA client id and secret and the seller's refresh token (Seller Central → Apps and Services → Develop Apps), with the Product Listing, Pricing and Selling Partner Insights roles",
        'AMAZON_SP_API_BASE / AMAZON_LWA_TOKEN_URL',
      ),
    );
  }
  results.push(...(await checkFleetOpsSources(config)));
  results.push(...searchAnalyticsChecks(config));
  return results;
}

/** sysbot's live sources for its fleet checks: the Anthropic admin key probed; the rest say what reads the sample company. */
async function checkFleetOpsSources(config: ConnectorsConfig): Promise<CheckResult[]> {
  const fleetOps = config.fleetOps ?? {};
  const results: CheckResult[] = [];
  if (fleetOps.anthropicAdmin === undefined)
    results.push(skip('ANTHROPIC_ADMIN_API_KEY', "not set: llm-invoice-reconcile compares against the sample company's bill"));
  else
    results.push(
      checked(
        'ANTHROPIC_ADMIN_API_KEY',
        await probeAnthropicAdmin({ ...fleetOps.anthropicAdmin, timeoutMs: Math.min(config.timeoutMs, 15_000) }),
        new URL(fleetOps.anthropicAdmin.baseUrl).origin,
        'create an admin key (Console → Settings → Admin keys, sk-ant-admin…) and put it in ANTHROPIC_ADMIN_API_KEY',
        'ANTHROPIC_ADMIN_BASE_URL',
      ),
    );
  if (fleetOps.backupDirectory === undefined)
    results.push(skip('BACKUP_DIRECTORY', 'not set: backup-check reads the sample backups (object storage / Supabase backups have no adapter yet)'));
  const liveVendors = config.hubspot !== undefined || config.shopify !== undefined || config.meta !== undefined;
  if (fleetOps.tlsHosts === undefined)
    results.push(
      skip(
        'CREDENTIAL_TLS_HOSTS',
        liveVendors
          ? "not set: credential-expiry probes the live vendors' tokens and checks no TLS certificate"
          : "not set: credential-expiry reads the sample company's credential table",
      ),
    );
  if (fleetOps.logPaths === undefined) results.push(skip('FLEET_LOG_PATHS', "not set: security-audit scans the sample company's log lines"));
  return results;
}
