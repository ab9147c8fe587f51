import { envInteger, optionalHttpUrl, optionalString, parseEnv, type Env } from '@jbot/core';

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
  CONNECTOR_SIDE_EFFECT_LEASE_SECONDS: envInteger(60, 1, 3600),
  CONNECTOR_TIMEOUT_MS: envInteger(30_000, 100, 600_000),
};

/** Parsed connector configuration. */
export interface ConnectorsConfig {
  hubspot?: { accessToken: string; basePath: string };
  shopify?: { storeDomain: string; accessToken: string; apiVersion: string; apiBase?: string };
  meta?: { accessToken: string; adAccountId: string; apiBase?: string };
  klaviyo?: { apiKey: string; apiBase?: string; conversionMetricId?: string };
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
    ...(parsed.KLAVIYO_API_KEY === undefined
      ? {}
      : {
          klaviyo: {
            apiKey: parsed.KLAVIYO_API_KEY,
            ...(parsed.KLAVIYO_API_BASE === undefined ? {} : { apiBase: parsed.KLAVIYO_API_BASE }),
            ...(parsed.KLAVIYO_CONVERSION_METRIC_ID === undefined ? {} : { conversionMetricId: parsed.KLAVIYO_CONVERSION_METRIC_ID }),
          },
        }),
    sideEffectLeaseSeconds: parsed.CONNECTOR_SIDE_EFFECT_LEASE_SECONDS,
    timeoutMs: parsed.CONNECTOR_TIMEOUT_MS,
  };
}
