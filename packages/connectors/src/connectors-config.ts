import { envInteger, envList, optionalHttpUrl, optionalString, parseEnv, type Env } from '@jbot/core';

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
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GOOGLE_REFRESH_TOKEN: optionalString,
  GOOGLE_API_BASE: optionalHttpUrl,
  GOOGLE_OAUTH_TOKEN_URL: optionalHttpUrl,
  GOOGLE_CALENDAR_ID: optionalString,
  NEWS_FEED_URLS: envList,
  NEWS_USER_AGENT: optionalString,
  CONNECTOR_SIDE_EFFECT_LEASE_SECONDS: envInteger(60, 1, 3600),
  CONNECTOR_TIMEOUT_MS: envInteger(30_000, 100, 600_000),
};

/** Parsed connector configuration. */
export interface ConnectorsConfig {
  hubspot?: { accessToken: string; basePath: string };
  shopify?: { storeDomain: string; accessToken: string; apiVersion: string; apiBase?: string };
  meta?: { accessToken: string; adAccountId: string; apiBase?: string };
  /** The operator's Google account (Calendar and Gmail): OAuth client + refresh token. */
  /** RSS/Atom feeds news-watch reads (Google News queries, SEC EDGAR, PR wires); none = the sample feed. */
  news?: { feeds: string[]; userAgent: string };
  google?: { clientId: string; clientSecret: string; refreshToken: string; apiBase?: string; tokenUrl?: string; calendarId: string };
  sideEffectLeaseSeconds: number;
  /** Each vendor call's timeout (CONNECTOR_TIMEOUT_MS). */
  timeoutMs: number;
}

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
    if (config.META_ACCESS_TOKEN !== undefined && config.META_AD_ACCOUNT_ID === undefined) {
      problems.push({ variable: 'META_AD_ACCOUNT_ID', message: 'is required with META_ACCESS_TOKEN: set it to the ad account id (act_…)' });
    }
    for (const feed of config.NEWS_FEED_URLS)
      if (!/^https?:\/\//.test(feed)) problems.push({ variable: 'NEWS_FEED_URLS', message: `"${feed}" is not an http(s) URL (comma-separated feed URLs)` });
    const google = [config.GOOGLE_CLIENT_ID, config.GOOGLE_CLIENT_SECRET, config.GOOGLE_REFRESH_TOKEN];
    if (google.some((value) => value !== undefined) && google.some((value) => value === undefined)) {
      for (const [variable, value] of [
        ['GOOGLE_CLIENT_ID', config.GOOGLE_CLIENT_ID],
        ['GOOGLE_CLIENT_SECRET', config.GOOGLE_CLIENT_SECRET],
        ['GOOGLE_REFRESH_TOKEN', config.GOOGLE_REFRESH_TOKEN],
      ] as const)
        if (value === undefined)
          problems.push({
            variable,
            message: 'is required with the other GOOGLE_ variables (set all three for the live Calendar and Gmail, or none for the sample workspace)',
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
            apiVersion: parsed.SHOPIFY_API_VERSION ?? '2025-07',
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
          },
        }),
    ...(parsed.GOOGLE_CLIENT_ID === undefined || parsed.GOOGLE_CLIENT_SECRET === undefined || parsed.GOOGLE_REFRESH_TOKEN === undefined
      ? {}
      : {
          google: {
            clientId: parsed.GOOGLE_CLIENT_ID,
            clientSecret: parsed.GOOGLE_CLIENT_SECRET,
            refreshToken: parsed.GOOGLE_REFRESH_TOKEN,
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
    sideEffectLeaseSeconds: parsed.CONNECTOR_SIDE_EFFECT_LEASE_SECONDS,
    timeoutMs: parsed.CONNECTOR_TIMEOUT_MS,
  };
}
