import fs from 'node:fs';
import { envBoolean, envInteger, envList, optionalHttpUrl, optionalString, parseEnv, type Env } from '@jbot/core';
import { loadSearchAnalyticsConfig, searchAnalyticsEnvShape, type SearchAnalyticsConfig } from './search-ads/search-analytics-config.js';

/** Connector settings from the environment: a vendor goes live when its credentials are set. */
export const connectorsEnvShape = {
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_API_BASE: optionalHttpUrl,
  SHOPIFY_STORE_DOMAIN: optionalString,
  SHOPIFY_ADMIN_ACCESS_TOKEN: optionalString,
  SHOPIFY_API_VERSION: optionalString,
  SHOPIFY_API_BASE: optionalHttpUrl,
  META_ACCESS_TOKEN: optionalString,
  META_AD_ACCOUNT_ID: optionalString,
  META_API_BASE: optionalHttpUrl,
  KLAVIYO_API_KEY: optionalString,
  KLAVIYO_API_BASE: optionalHttpUrl,
  KLAVIYO_CONVERSION_METRIC_ID: optionalString,
  META_PAGE_ID: optionalString,
  META_IG_USER_ID: optionalString,
  META_SOCIAL_API_BASE: optionalHttpUrl,
  GOOGLE_WORKSPACE_CLIENT_ID: optionalString,
  GOOGLE_WORKSPACE_CLIENT_SECRET: optionalString,
  GOOGLE_WORKSPACE_REFRESH_TOKEN: optionalString,
  GOOGLE_CALENDAR_ID: optionalString,
  NEWS_FEED_URLS: envList,
  NEWS_USER_AGENT: optionalString,
  // studiobot's creators connector: the brands' Instagram business accounts, BRAND=ig-user-id pairs.
  META_IG_ACCOUNTS: envList,
  META_CREATOR_WATCHLIST: envList,
  EASYPOST_API_KEY: optionalString,
  EASYPOST_API_BASE: optionalHttpUrl,
  AMAZON_SP_API_CLIENT_ID: optionalString,
  AMAZON_SP_API_CLIENT_SECRET: optionalString,
  AMAZON_SP_API_REFRESH_TOKEN: optionalString,
  AMAZON_SP_API_SELLER_ID: optionalString,
  AMAZON_SP_API_MARKETPLACE_ID: optionalString,
  AMAZON_SP_API_BASE: optionalHttpUrl,
  AMAZON_LWA_TOKEN_URL: optionalHttpUrl,
  AMAZON_SP_API_RATE_LIMITER: envBoolean(true),
  /** Between two polls of a requested SP-API report (FBA planning, stranded, storage fees). */
  AMAZON_SP_API_REPORT_POLL_MS: envInteger(15_000, 10, 600_000),
  /** Where FBA inbound plans ship from (createInboundPlan's sourceAddress), as JSON. */
  AMAZON_FBA_SHIP_FROM: optionalString,
  STORE_URL: optionalHttpUrl,
  GOOGLE_SEARCH_CONSOLE_SITE: optionalString,
  GOOGLE_OAUTH_CLIENT_ID: optionalString,
  GOOGLE_OAUTH_CLIENT_SECRET: optionalString,
  GOOGLE_OAUTH_REFRESH_TOKEN: optionalString,
  GOOGLE_OAUTH_TOKEN_URL: optionalHttpUrl,
  GOOGLE_API_BASE: optionalHttpUrl,
  PAGESPEED_API_KEY: optionalString,
  PAGESPEED_URLS: optionalString,
  SITE_CRAWL_DELAY_MS: envInteger(1000, 0, 60_000),
  CONNECTOR_SIDE_EFFECT_LEASE_SECONDS: envInteger(60, 1, 3600),
  CONNECTOR_TIMEOUT_MS: envInteger(30_000, 100, 600_000),
  // sysbot's view of the fleet's operations (sample company where unset).
  ANTHROPIC_ADMIN_API_KEY: optionalString,
  ANTHROPIC_ADMIN_BASE_URL: optionalHttpUrl,
  BACKUP_DIRECTORY: optionalString,
  FLEET_LOG_PATHS: envList,
  CREDENTIAL_TLS_HOSTS: envList,
  // The 3PL's SFTP drop box (shipbot's warehouse files); unset: the sample company's WMS tables.
  WMS_SFTP_HOST: optionalString,
  WMS_SFTP_PORT: envInteger(22, 1, 65_535),
  WMS_SFTP_USERNAME: optionalString,
  WMS_SFTP_PASSWORD: optionalString,
  WMS_SFTP_PRIVATE_KEY_PATH: optionalString,
  WMS_SFTP_HOST_KEY_SHA256: optionalString,
  WMS_SFTP_OUTBOUND_DIR: optionalString,
  WMS_SFTP_INBOUND_DIR: optionalString,
  // mktgbot's GA4, Google Ads, Merchant Center and Amazon Ads.
  ...searchAnalyticsEnvShape,
  // opsbot: containers on Terminal49 (sample terminal where unset), ECB reference rates, supplier-side news feeds.
  TERMINAL49_API_KEY: optionalString,
  TERMINAL49_API_BASE: optionalHttpUrl,
  OPS_DRAYAGE_TRUCKER: optionalString,
  ECB_FX_LIVE: envBoolean(false),
  ECB_API_BASE: optionalHttpUrl,
  OPS_NEWS_FEED_URLS: envList,
  // The books (salesbot AR and deductions): Xero where all four are set, the sample books otherwise.
  XERO_CLIENT_ID: optionalString,
  XERO_CLIENT_SECRET: optionalString,
  XERO_REFRESH_TOKEN: optionalString,
  XERO_TENANT_ID: optionalString,
  XERO_API_BASE: optionalHttpUrl,
  XERO_TOKEN_URL: optionalHttpUrl,
};

/** Parsed connector configuration. */
export interface ConnectorsConfig {
  hubspot?: { accessToken: string; basePath: string };
  shopify?: { storeDomain: string; accessToken: string; apiVersion: string; apiBase?: string };
  klaviyo?: { apiKey: string; apiBase?: string; conversionMetricId?: string };
  meta?: { accessToken: string; adAccountId: string; apiBase?: string; pageId?: string };
  /** Instagram / Facebook organic: live when META_ACCESS_TOKEN and an IG user or Page id are set. */
  metaSocial?: { accessToken: string; igUserId?: string; pageId?: string; apiBase?: string };
  /** RSS/Atom feeds news-watch reads (Google News queries, SEC EDGAR, PR wires); none = the sample feed. */
  news?: { feeds: string[]; userAgent: string };
  /** The operator's Google Workspace account (Calendar and Gmail): OAuth client + the operator's refresh token. */
  workspace?: { clientId: string; clientSecret: string; refreshToken: string; apiBase?: string; tokenUrl?: string; calendarId: string };
  /** Instagram for creators and UGC: live when META_ACCESS_TOKEN and META_IG_ACCOUNTS are set. */
  instagram?: { accessToken: string; igAccounts: Record<string, string>; watchlist: string[]; apiBase?: string };
  /** EasyPost for seeding parcels: live when EASYPOST_API_KEY is set. */
  easypost?: { apiKey: string; apiBase?: string };
  amazon?: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    sellerId: string;
    marketplaceId: string;
    apiBase: string;
    tokenUrl: string;
    rateLimiter: boolean;
    reportPollMs: number;
    /** AMAZON_FBA_SHIP_FROM: createInboundPlan's sourceAddress; unset, a plan cannot be created live. */
    sourceAddress?: Record<string, string>;
  };
  google?: {
    siteUrl: string;
    storeOrigin: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    tokenUrl?: string;
    apiBase?: string;
    pageSpeedKey?: string;
    pageSpeedUrls: string[];
  };
  /** Our own store, crawled by site-crawl-audit (STORE_URL); unset: the sample store's pages. */
  store?: { url: string; crawlDelayMs: number };
  sideEffectLeaseSeconds: number;
  /** Each vendor call's timeout (CONNECTOR_TIMEOUT_MS). */
  timeoutMs: number;
  /** The 3PL's SFTP drop box: live when WMS_SFTP_HOST is set. */
  warehouseSftp?: {
    host: string;
    port: number;
    username: string;
    password?: string;
    privateKey?: string;
    hostKeySha256: string;
    outboundDir: string;
    inboundDir: string;
  };
  /** GA4, Google Ads, Merchant Center and Amazon Ads (mktgbot); each vendor live when its credentials are set. */
  searchAnalytics?: SearchAnalyticsConfig;
  /** opsbot's container tracking on Terminal49 (TERMINAL49_API_KEY); unset: the sample terminal. */
  terminal49?: { apiKey: string; apiBase?: string; trucker: string };
  /** The ECB's daily reference rates, live (ECB_FX_LIVE=true); otherwise the sample company's rates. */
  ecb?: { apiBase?: string };
  /** Port and carrier advisories and supplier-city news feeds (OPS_NEWS_FEED_URLS); none = the sample ops feed. */
  supplierNews?: { feeds: string[]; userAgent: string };
  /** Live sources for sysbot's fleet checks; each unset one reads the sample company. */
  fleetOps?: { anthropicAdmin?: { adminApiKey: string; baseUrl: string }; backupDirectory?: string; logPaths?: string[]; tlsHosts?: string[] };
  /** The books on Xero (XERO_*); unset: the sample company's books. */
  xero?: { clientId: string; clientSecret: string; refreshToken: string; tenantId: string; apiBase: string; tokenUrl: string };
}

const socialBase = (base: string | undefined): { apiBase?: string } => (base === undefined ? {} : { apiBase: base });

/** Parse the connector env; a half-configured vendor (token without store or account) is an error naming the missing variable. */
export function loadConnectorsConfig(env: Env): ConnectorsConfig {
  const parsed = parseEnv(connectorsEnvShape, env, (config) => {
    const problems = [];
    if ((config.SHOPIFY_STORE_DOMAIN === undefined) !== (config.SHOPIFY_ADMIN_ACCESS_TOKEN === undefined)) {
      problems.push({
        variable: config.SHOPIFY_STORE_DOMAIN === undefined ? 'SHOPIFY_STORE_DOMAIN' : 'SHOPIFY_ADMIN_ACCESS_TOKEN',
        message: 'is required when the other Shopify variable is set (set both, or neither for the sample store)',
      });
    }
    const xero = ['XERO_CLIENT_ID', 'XERO_CLIENT_SECRET', 'XERO_REFRESH_TOKEN', 'XERO_TENANT_ID'] as const;
    const xeroSet = xero.filter((name) => config[name] !== undefined);
    if (xeroSet.length > 0 && xeroSet.length < xero.length)
      for (const name of xero.filter((variable) => config[variable] === undefined))
        problems.push({ variable: name, message: `is required with ${xeroSet.join(', ')}: set all four Xero variables, or none for the sample books` });
    if (config.META_ACCESS_TOKEN !== undefined && config.META_AD_ACCOUNT_ID === undefined) {
      problems.push({ variable: 'META_AD_ACCOUNT_ID', message: 'is required with META_ACCESS_TOKEN: set it to the ad account id (act_…)' });
    }
    for (const feed of config.NEWS_FEED_URLS)
      if (!/^https?:\/\//.test(feed)) problems.push({ variable: 'NEWS_FEED_URLS', message: `"${feed}" is not an http(s) URL (comma-separated feed URLs)` });
    const workspace = [config.GOOGLE_WORKSPACE_CLIENT_ID, config.GOOGLE_WORKSPACE_CLIENT_SECRET, config.GOOGLE_WORKSPACE_REFRESH_TOKEN];
    if (workspace.some((value) => value !== undefined) && workspace.some((value) => value === undefined)) {
      for (const [variable, value] of [
        ['GOOGLE_WORKSPACE_CLIENT_ID', config.GOOGLE_WORKSPACE_CLIENT_ID],
        ['GOOGLE_WORKSPACE_CLIENT_SECRET', config.GOOGLE_WORKSPACE_CLIENT_SECRET],
        ['GOOGLE_WORKSPACE_REFRESH_TOKEN', config.GOOGLE_WORKSPACE_REFRESH_TOKEN],
      ] as const)
        if (value === undefined)
          problems.push({
            variable,
            message: 'is required with the other GOOGLE_WORKSPACE_ variables (set all three for the live Calendar and Gmail, or none for the sample workspace)',
          });
    }
    for (const pair of config.META_IG_ACCOUNTS) {
      if (!/^[A-Za-z0-9_]+=\d+$/.test(pair))
        problems.push({ variable: 'META_IG_ACCOUNTS', message: `has "${pair}": write BRAND=ig-user-id pairs, e.g. DW=17841400000000000` });
    }
    if (config.META_IG_ACCOUNTS.length > 0 && config.META_ACCESS_TOKEN === undefined) {
      problems.push({ variable: 'META_ACCESS_TOKEN', message: 'is required with META_IG_ACCOUNTS (the token that reads the brands’ Instagram accounts)' });
    }
    const amazon = ['AMAZON_SP_API_CLIENT_ID', 'AMAZON_SP_API_CLIENT_SECRET', 'AMAZON_SP_API_REFRESH_TOKEN', 'AMAZON_SP_API_SELLER_ID'] as const;
    const amazonSet = amazon.filter((name) => config[name] !== undefined);
    if (amazonSet.length > 0 && amazonSet.length < amazon.length) {
      for (const name of amazon.filter((variable) => config[variable] === undefined))
        problems.push({
          variable: name,
          message: `is required with ${amazonSet.join(', ')}: set all four Amazon SP-API variables, or none for the sample marketplace`,
        });
    }
    const google = ['GOOGLE_SEARCH_CONSOLE_SITE', 'GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET', 'GOOGLE_OAUTH_REFRESH_TOKEN'] as const;
    const googleSet = google.filter((name) => config[name] !== undefined);
    // The OAuth trio alone is complete too: GA4, Google Ads and Merchant Center share it (search-analytics-config).
    const oauthOnly = googleSet.length === 3 && config.GOOGLE_SEARCH_CONSOLE_SITE === undefined;
    if (googleSet.length > 0 && googleSet.length < google.length && !oauthOnly) {
      for (const name of google.filter((variable) => config[variable] === undefined))
        problems.push({ variable: name, message: `is required with ${googleSet.join(', ')}: set all four Search Console variables, or none for the sample` });
    }
    if (googleSet.length === google.length && config.STORE_URL === undefined && !/^https?:\/\//.test(config.GOOGLE_SEARCH_CONSOLE_SITE ?? ''))
      problems.push({
        variable: 'STORE_URL',
        message: 'is required with a domain Search Console property (sc-domain:…): set it to the store origin, e.g. https://harborandpine.com',
      });
    for (const feed of config.OPS_NEWS_FEED_URLS)
      if (!/^https?:\/\//.test(feed)) problems.push({ variable: 'OPS_NEWS_FEED_URLS', message: `"${feed}" is not an http(s) URL (comma-separated feed URLs)` });
    if (config.TERMINAL49_API_KEY !== undefined && config.OPS_DRAYAGE_TRUCKER === undefined)
      problems.push({
        variable: 'OPS_DRAYAGE_TRUCKER',
        message: 'is required with TERMINAL49_API_KEY: the drayage company that picks containers up, as "Name <email>"',
      });
    if (config.AMAZON_FBA_SHIP_FROM !== undefined) {
      let address: unknown;
      try {
        address = JSON.parse(config.AMAZON_FBA_SHIP_FROM);
      } catch {
        address = null;
      }
      const fields = ['name', 'addressLine1', 'city', 'stateOrProvinceCode', 'postalCode', 'countryCode', 'phoneNumber'];
      const missing = fields.filter((field) => typeof (address as Record<string, unknown> | null)?.[field] !== 'string');
      if (missing.length > 0)
        problems.push({
          variable: 'AMAZON_FBA_SHIP_FROM',
          message: `must be a JSON address with ${fields.join(', ')} (missing or not text: ${missing.join(', ')})`,
        });
    }
    if (config.WMS_SFTP_HOST !== undefined) {
      if (config.WMS_SFTP_USERNAME === undefined)
        problems.push({ variable: 'WMS_SFTP_USERNAME', message: 'is required with WMS_SFTP_HOST: the login the 3PL gave us' });
      if (config.WMS_SFTP_PASSWORD === undefined && config.WMS_SFTP_PRIVATE_KEY_PATH === undefined)
        problems.push({ variable: 'WMS_SFTP_PASSWORD', message: 'or WMS_SFTP_PRIVATE_KEY_PATH is required with WMS_SFTP_HOST' });
      if (config.WMS_SFTP_PRIVATE_KEY_PATH !== undefined && !fs.existsSync(config.WMS_SFTP_PRIVATE_KEY_PATH))
        problems.push({ variable: 'WMS_SFTP_PRIVATE_KEY_PATH', message: `names no readable file (${config.WMS_SFTP_PRIVATE_KEY_PATH})` });
      if (config.WMS_SFTP_HOST_KEY_SHA256 === undefined)
        problems.push({
          variable: 'WMS_SFTP_HOST_KEY_SHA256',
          message:
            'is required with WMS_SFTP_HOST: pin the server key (ssh-keyscan <host> | ssh-keygen -lf -, the SHA256:… part), so nobody else can pose as the 3PL',
        });
    }
    return problems;
  });
  return {
    ...(parsed.HUBSPOT_ACCESS_TOKEN === undefined
      ? {}
      : { hubspot: { accessToken: parsed.HUBSPOT_ACCESS_TOKEN, basePath: (parsed.HUBSPOT_API_BASE ?? 'https://api.hubapi.com').replace(/\/+$/, '') } }),
    ...(parsed.SHOPIFY_STORE_DOMAIN === undefined || parsed.SHOPIFY_ADMIN_ACCESS_TOKEN === undefined
      ? {}
      : {
          shopify: {
            storeDomain: parsed.SHOPIFY_STORE_DOMAIN,
            accessToken: parsed.SHOPIFY_ADMIN_ACCESS_TOKEN,
            apiVersion: parsed.SHOPIFY_API_VERSION ?? '2026-10',
            ...(parsed.SHOPIFY_API_BASE === undefined ? {} : { apiBase: parsed.SHOPIFY_API_BASE }),
          },
        }),
    ...(parsed.META_ACCESS_TOKEN === undefined || parsed.META_AD_ACCOUNT_ID === undefined
      ? {}
      : {
          meta: {
            accessToken: parsed.META_ACCESS_TOKEN,
            adAccountId: parsed.META_AD_ACCOUNT_ID,
            ...(parsed.META_API_BASE === undefined ? {} : { apiBase: parsed.META_API_BASE }),
            ...(parsed.META_PAGE_ID === undefined ? {} : { pageId: parsed.META_PAGE_ID }),
          },
        }),
    ...(parsed.META_ACCESS_TOKEN === undefined || (parsed.META_IG_USER_ID === undefined && parsed.META_PAGE_ID === undefined)
      ? {}
      : {
          metaSocial: {
            accessToken: parsed.META_ACCESS_TOKEN,
            ...(parsed.META_IG_USER_ID === undefined ? {} : { igUserId: parsed.META_IG_USER_ID }),
            ...(parsed.META_PAGE_ID === undefined ? {} : { pageId: parsed.META_PAGE_ID }),
            // Each client has its own base (tests point ads and organic at different fakes).
            ...socialBase(parsed.META_SOCIAL_API_BASE ?? parsed.META_API_BASE),
          },
        }),
    ...(parsed.KLAVIYO_API_KEY === undefined
      ? {}
      : {
          klaviyo: {
            apiKey: parsed.KLAVIYO_API_KEY,
            ...(parsed.KLAVIYO_API_BASE === undefined ? {} : { apiBase: parsed.KLAVIYO_API_BASE }),
            ...(parsed.KLAVIYO_CONVERSION_METRIC_ID === undefined ? {} : { conversionMetricId: parsed.KLAVIYO_CONVERSION_METRIC_ID }),
          },
        }),
    ...(parsed.GOOGLE_WORKSPACE_CLIENT_ID === undefined ||
    parsed.GOOGLE_WORKSPACE_CLIENT_SECRET === undefined ||
    parsed.GOOGLE_WORKSPACE_REFRESH_TOKEN === undefined
      ? {}
      : {
          workspace: {
            clientId: parsed.GOOGLE_WORKSPACE_CLIENT_ID,
            clientSecret: parsed.GOOGLE_WORKSPACE_CLIENT_SECRET,
            refreshToken: parsed.GOOGLE_WORKSPACE_REFRESH_TOKEN,
            calendarId: parsed.GOOGLE_CALENDAR_ID ?? 'primary',
            ...(parsed.GOOGLE_API_BASE === undefined ? {} : { apiBase: parsed.GOOGLE_API_BASE }),
            ...(parsed.GOOGLE_OAUTH_TOKEN_URL === undefined ? {} : { tokenUrl: parsed.GOOGLE_OAUTH_TOKEN_URL }),
          },
        }),
    ...(parsed.NEWS_FEED_URLS.length === 0
      ? {}
      : {
          news: {
            feeds: parsed.NEWS_FEED_URLS,
            userAgent: parsed.NEWS_USER_AGENT ?? 'jbot-fleet news-watch (set NEWS_USER_AGENT to "Company ops@company.com")',
          },
        }),
    ...(parsed.META_ACCESS_TOKEN === undefined || parsed.META_IG_ACCOUNTS.length === 0
      ? {}
      : {
          instagram: {
            accessToken: parsed.META_ACCESS_TOKEN,
            igAccounts: Object.fromEntries(parsed.META_IG_ACCOUNTS.map((pair) => pair.split('=') as [string, string])),
            watchlist: parsed.META_CREATOR_WATCHLIST,
            ...(parsed.META_API_BASE === undefined ? {} : { apiBase: parsed.META_API_BASE }),
          },
        }),
    ...(parsed.EASYPOST_API_KEY === undefined
      ? {}
      : { easypost: { apiKey: parsed.EASYPOST_API_KEY, ...(parsed.EASYPOST_API_BASE === undefined ? {} : { apiBase: parsed.EASYPOST_API_BASE }) } }),
    ...(parsed.AMAZON_SP_API_CLIENT_ID === undefined ||
    parsed.AMAZON_SP_API_CLIENT_SECRET === undefined ||
    parsed.AMAZON_SP_API_REFRESH_TOKEN === undefined ||
    parsed.AMAZON_SP_API_SELLER_ID === undefined
      ? {}
      : {
          amazon: {
            clientId: parsed.AMAZON_SP_API_CLIENT_ID,
            clientSecret: parsed.AMAZON_SP_API_CLIENT_SECRET,
            refreshToken: parsed.AMAZON_SP_API_REFRESH_TOKEN,
            sellerId: parsed.AMAZON_SP_API_SELLER_ID,
            marketplaceId: parsed.AMAZON_SP_API_MARKETPLACE_ID ?? 'ATVPDKIKX0DER',
            apiBase: (parsed.AMAZON_SP_API_BASE ?? 'https://sellingpartnerapi-na.amazon.com').replace(/\/+$/, ''),
            tokenUrl: parsed.AMAZON_LWA_TOKEN_URL ?? 'https://api.amazon.com/auth/o2/token',
            rateLimiter: parsed.AMAZON_SP_API_RATE_LIMITER,
            reportPollMs: parsed.AMAZON_SP_API_REPORT_POLL_MS,
            ...(parsed.AMAZON_FBA_SHIP_FROM === undefined ? {} : { sourceAddress: JSON.parse(parsed.AMAZON_FBA_SHIP_FROM) as Record<string, string> }),
          },
        }),
    ...(parsed.GOOGLE_SEARCH_CONSOLE_SITE === undefined ||
    parsed.GOOGLE_OAUTH_CLIENT_ID === undefined ||
    parsed.GOOGLE_OAUTH_CLIENT_SECRET === undefined ||
    parsed.GOOGLE_OAUTH_REFRESH_TOKEN === undefined
      ? {}
      : {
          google: {
            siteUrl: parsed.GOOGLE_SEARCH_CONSOLE_SITE,
            storeOrigin: parsed.STORE_URL ?? parsed.GOOGLE_SEARCH_CONSOLE_SITE,
            clientId: parsed.GOOGLE_OAUTH_CLIENT_ID,
            clientSecret: parsed.GOOGLE_OAUTH_CLIENT_SECRET,
            refreshToken: parsed.GOOGLE_OAUTH_REFRESH_TOKEN,
            ...(parsed.GOOGLE_OAUTH_TOKEN_URL === undefined ? {} : { tokenUrl: parsed.GOOGLE_OAUTH_TOKEN_URL }),
            ...(parsed.GOOGLE_API_BASE === undefined ? {} : { apiBase: parsed.GOOGLE_API_BASE }),
            ...(parsed.PAGESPEED_API_KEY === undefined ? {} : { pageSpeedKey: parsed.PAGESPEED_API_KEY }),
            pageSpeedUrls: (parsed.PAGESPEED_URLS ?? '/')
              .split(',')
              .map((url) => url.trim())
              .filter((url) => url !== ''),
          },
        }),
    ...(parsed.STORE_URL === undefined ? {} : { store: { url: parsed.STORE_URL, crawlDelayMs: parsed.SITE_CRAWL_DELAY_MS } }),
    ...(parsed.TERMINAL49_API_KEY === undefined || parsed.OPS_DRAYAGE_TRUCKER === undefined
      ? {}
      : {
          terminal49: {
            apiKey: parsed.TERMINAL49_API_KEY,
            trucker: parsed.OPS_DRAYAGE_TRUCKER,
            ...(parsed.TERMINAL49_API_BASE === undefined ? {} : { apiBase: parsed.TERMINAL49_API_BASE }),
          },
        }),
    ...(parsed.ECB_FX_LIVE ? { ecb: parsed.ECB_API_BASE === undefined ? {} : { apiBase: parsed.ECB_API_BASE } } : {}),
    ...(parsed.OPS_NEWS_FEED_URLS.length === 0
      ? {}
      : {
          supplierNews: {
            feeds: parsed.OPS_NEWS_FEED_URLS,
            userAgent: parsed.NEWS_USER_AGENT ?? 'jbot-fleet vendor-intel (set NEWS_USER_AGENT to "Company ops@company.com")',
          },
        }),
    ...(parsed.WMS_SFTP_HOST === undefined || parsed.WMS_SFTP_USERNAME === undefined || parsed.WMS_SFTP_HOST_KEY_SHA256 === undefined
      ? {}
      : {
          warehouseSftp: {
            host: parsed.WMS_SFTP_HOST,
            port: parsed.WMS_SFTP_PORT,
            username: parsed.WMS_SFTP_USERNAME,
            ...(parsed.WMS_SFTP_PASSWORD === undefined ? {} : { password: parsed.WMS_SFTP_PASSWORD }),
            ...(parsed.WMS_SFTP_PRIVATE_KEY_PATH === undefined ? {} : { privateKey: fs.readFileSync(parsed.WMS_SFTP_PRIVATE_KEY_PATH, 'utf8') }),
            hostKeySha256: parsed.WMS_SFTP_HOST_KEY_SHA256,
            outboundDir: parsed.WMS_SFTP_OUTBOUND_DIR ?? '/outbound',
            inboundDir: parsed.WMS_SFTP_INBOUND_DIR ?? '/inbound',
          },
        }),
    ...(parsed.XERO_CLIENT_ID === undefined ||
    parsed.XERO_CLIENT_SECRET === undefined ||
    parsed.XERO_REFRESH_TOKEN === undefined ||
    parsed.XERO_TENANT_ID === undefined
      ? {}
      : {
          xero: {
            clientId: parsed.XERO_CLIENT_ID,
            clientSecret: parsed.XERO_CLIENT_SECRET,
            refreshToken: parsed.XERO_REFRESH_TOKEN,
            tenantId: parsed.XERO_TENANT_ID,
            apiBase: (parsed.XERO_API_BASE ?? 'https://api.xero.com/api.xro/2.0').replace(/\/+$/, ''),
            tokenUrl: parsed.XERO_TOKEN_URL ?? 'https://identity.xero.com/connect/token',
          },
        }),
    sideEffectLeaseSeconds: parsed.CONNECTOR_SIDE_EFFECT_LEASE_SECONDS,
    timeoutMs: parsed.CONNECTOR_TIMEOUT_MS,
    searchAnalytics: loadSearchAnalyticsConfig(env),
    fleetOps: {
      ...(parsed.ANTHROPIC_ADMIN_API_KEY === undefined
        ? {}
        : { anthropicAdmin: { adminApiKey: parsed.ANTHROPIC_ADMIN_API_KEY, baseUrl: parsed.ANTHROPIC_ADMIN_BASE_URL ?? 'https://api.anthropic.com' } }),
      ...(parsed.BACKUP_DIRECTORY === undefined ? {} : { backupDirectory: parsed.BACKUP_DIRECTORY }),
      ...(parsed.FLEET_LOG_PATHS.length === 0 ? {} : { logPaths: parsed.FLEET_LOG_PATHS }),
      ...(parsed.CREDENTIAL_TLS_HOSTS.length === 0 ? {} : { tlsHosts: parsed.CREDENTIAL_TLS_HOSTS }),
    },
  };
}
