import { envInteger, optionalHttpUrl, optionalString, parseEnv, type ConfigProblem, type Env } from '@jbot/core';

/** The env of mktgbot's search, analytics and feed connectors (the Google OAuth trio is shared with Search Console). */
export const searchAnalyticsEnvShape = {
  GA4_PROPERTY_ID: optionalString,
  GA4_API_BASE: optionalHttpUrl,
  GOOGLE_ADS_CUSTOMER_ID: optionalString,
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: optionalString,
  GOOGLE_ADS_DEVELOPER_TOKEN: optionalString,
  GOOGLE_ADS_API_BASE: optionalHttpUrl,
  GOOGLE_ADS_API_VERSION: optionalString,
  GOOGLE_MERCHANT_ID: optionalString,
  GOOGLE_MERCHANT_API_BASE: optionalHttpUrl,
  AMAZON_ADS_CLIENT_ID: optionalString,
  AMAZON_ADS_CLIENT_SECRET: optionalString,
  AMAZON_ADS_REFRESH_TOKEN: optionalString,
  AMAZON_ADS_PROFILE_ID: optionalString,
  AMAZON_ADS_API_BASE: optionalHttpUrl,
  /** Between polls of a v3 report (Amazon's queue). */
  AMAZON_ADS_REPORT_POLL_MS: envInteger(5_000, 0, 600_000),
};

const sharedShape = {
  ...searchAnalyticsEnvShape,
  GOOGLE_OAUTH_CLIENT_ID: optionalString,
  GOOGLE_OAUTH_CLIENT_SECRET: optionalString,
  GOOGLE_OAUTH_REFRESH_TOKEN: optionalString,
  GOOGLE_OAUTH_TOKEN_URL: optionalHttpUrl,
  AMAZON_LWA_TOKEN_URL: optionalHttpUrl,
};

/** The operator's Google OAuth client (GOOGLE_OAUTH_*), shared by GA4, Google Ads and Merchant Center. */
export interface GoogleOAuthConfig {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUrl?: string;
}

/** Parsed settings: each vendor present only when its credentials are complete. */
export interface SearchAnalyticsConfig {
  ga4?: { propertyId: string; oauth: GoogleOAuthConfig; apiBase: string };
  googleAds?: { customerId: string; loginCustomerId?: string; developerToken: string; oauth: GoogleOAuthConfig; apiBase: string; apiVersion: string };
  merchant?: { merchantId: string; oauth: GoogleOAuthConfig; apiBase: string };
  amazonAds?: { clientId: string; clientSecret: string; refreshToken: string; profileId: string; apiBase: string; tokenUrl: string; pollIntervalMs: number };
}

const digits = (value: string) => value.replace(/-/g, '');

/** Parse the env; a half-configured vendor is a ConfigError naming the missing variable. */
export function loadSearchAnalyticsConfig(env: Env): SearchAnalyticsConfig {
  const parsed = parseEnv(sharedShape, env, (config) => {
    const problems: ConfigProblem[] = [];
    const oauthSet =
      config.GOOGLE_OAUTH_CLIENT_ID !== undefined && config.GOOGLE_OAUTH_CLIENT_SECRET !== undefined && config.GOOGLE_OAUTH_REFRESH_TOKEN !== undefined;
    for (const [variable, value] of [
      ['GA4_PROPERTY_ID', config.GA4_PROPERTY_ID],
      ['GOOGLE_ADS_CUSTOMER_ID', config.GOOGLE_ADS_CUSTOMER_ID],
      ['GOOGLE_MERCHANT_ID', config.GOOGLE_MERCHANT_ID],
    ] as const)
      if (value !== undefined && !oauthSet)
        problems.push({
          variable,
          message: 'needs GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET and GOOGLE_OAUTH_REFRESH_TOKEN (the operator account that reads it)',
        });
    if (config.GA4_PROPERTY_ID !== undefined && !/^\d+$/.test(config.GA4_PROPERTY_ID))
      problems.push({ variable: 'GA4_PROPERTY_ID', message: `"${config.GA4_PROPERTY_ID}" is not a GA4 property id (digits only, e.g. 312345678)` });
    if (config.GOOGLE_ADS_CUSTOMER_ID !== undefined) {
      if (!/^\d{10}$/.test(digits(config.GOOGLE_ADS_CUSTOMER_ID)))
        problems.push({ variable: 'GOOGLE_ADS_CUSTOMER_ID', message: 'is a 10-digit customer id (123-456-7890)' });
      if (config.GOOGLE_ADS_DEVELOPER_TOKEN === undefined)
        problems.push({ variable: 'GOOGLE_ADS_DEVELOPER_TOKEN', message: 'is required with GOOGLE_ADS_CUSTOMER_ID' });
    }
    const amazon = ['AMAZON_ADS_CLIENT_ID', 'AMAZON_ADS_CLIENT_SECRET', 'AMAZON_ADS_REFRESH_TOKEN', 'AMAZON_ADS_PROFILE_ID'] as const;
    const amazonSet = amazon.filter((name) => config[name] !== undefined);
    if (amazonSet.length > 0 && amazonSet.length < amazon.length)
      for (const name of amazon.filter((variable) => config[variable] === undefined))
        problems.push({ variable: name, message: `is required with ${amazonSet.join(', ')}: set all four Amazon Ads variables, or none for the sample` });
    return problems;
  });
  const oauth: GoogleOAuthConfig | undefined =
    parsed.GOOGLE_OAUTH_CLIENT_ID === undefined || parsed.GOOGLE_OAUTH_CLIENT_SECRET === undefined || parsed.GOOGLE_OAUTH_REFRESH_TOKEN === undefined
      ? undefined
      : {
          clientId: parsed.GOOGLE_OAUTH_CLIENT_ID,
          clientSecret: parsed.GOOGLE_OAUTH_CLIENT_SECRET,
          refreshToken: parsed.GOOGLE_OAUTH_REFRESH_TOKEN,
          ...(parsed.GOOGLE_OAUTH_TOKEN_URL === undefined ? {} : { tokenUrl: parsed.GOOGLE_OAUTH_TOKEN_URL }),
        };
  const base = (value: string | undefined, fallback: string) => (value ?? fallback).replace(/\/+$/, '');
  return {
    ...(oauth === undefined || parsed.GA4_PROPERTY_ID === undefined
      ? {}
      : { ga4: { propertyId: parsed.GA4_PROPERTY_ID, oauth, apiBase: base(parsed.GA4_API_BASE, 'https://analyticsdata.googleapis.com') } }),
    ...(oauth === undefined || parsed.GOOGLE_ADS_CUSTOMER_ID === undefined || parsed.GOOGLE_ADS_DEVELOPER_TOKEN === undefined
      ? {}
      : {
          googleAds: {
            customerId: digits(parsed.GOOGLE_ADS_CUSTOMER_ID),
            ...(parsed.GOOGLE_ADS_LOGIN_CUSTOMER_ID === undefined ? {} : { loginCustomerId: digits(parsed.GOOGLE_ADS_LOGIN_CUSTOMER_ID) }),
            developerToken: parsed.GOOGLE_ADS_DEVELOPER_TOKEN,
            oauth,
            apiBase: base(parsed.GOOGLE_ADS_API_BASE, 'https://googleads.googleapis.com'),
            // Google sunsets a version about a year after release: set GOOGLE_ADS_API_VERSION to move on without a release.
            apiVersion: parsed.GOOGLE_ADS_API_VERSION ?? 'v23',
          },
        }),
    ...(oauth === undefined || parsed.GOOGLE_MERCHANT_ID === undefined
      ? {}
      : { merchant: { merchantId: parsed.GOOGLE_MERCHANT_ID, oauth, apiBase: base(parsed.GOOGLE_MERCHANT_API_BASE, 'https://merchantapi.googleapis.com') } }),
    ...(parsed.AMAZON_ADS_CLIENT_ID === undefined ||
    parsed.AMAZON_ADS_CLIENT_SECRET === undefined ||
    parsed.AMAZON_ADS_REFRESH_TOKEN === undefined ||
    parsed.AMAZON_ADS_PROFILE_ID === undefined
      ? {}
      : {
          amazonAds: {
            clientId: parsed.AMAZON_ADS_CLIENT_ID,
            clientSecret: parsed.AMAZON_ADS_CLIENT_SECRET,
            refreshToken: parsed.AMAZON_ADS_REFRESH_TOKEN,
            profileId: parsed.AMAZON_ADS_PROFILE_ID,
            apiBase: base(parsed.AMAZON_ADS_API_BASE, 'https://advertising-api.amazon.com'),
            tokenUrl: parsed.AMAZON_LWA_TOKEN_URL ?? 'https://api.amazon.com/auth/o2/token',
            pollIntervalMs: parsed.AMAZON_ADS_REPORT_POLL_MS,
          },
        }),
  };
}
