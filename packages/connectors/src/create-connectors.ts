import type { Db, Env, Logger, RunBinding } from '@jbot/core';
import type { AdsConnector } from './ads/ads-connector.js';
import { createMetaAdsConnector } from './ads/meta-ads-connector.js';
import { createSampleAdsConnector } from './ads/sample-ads-connector.js';
import type { CommerceConnector } from './commerce/commerce-connector.js';
import { createSampleCommerceConnector } from './commerce/sample-commerce-connector.js';
import { createShopifyCommerceConnector } from './commerce/shopify-commerce-connector.js';
import { loadConnectorsConfig, type ConnectorsConfig } from './connectors-config.js';
import type { CrmConnector } from './crm/crm-connector.js';
import { createHubSpotCrmConnector } from './crm/hubspot-crm-connector.js';
import { createSampleCrmConnector } from './crm/sample-crm-connector.js';
import type { FreightConnector } from './freight/freight-connector.js';
import { createSampleFreightConnector } from './freight/sample-freight-connector.js';
import type { KlaviyoConnector } from './klaviyo/klaviyo-connector.js';
import { createKlaviyoConnector } from './klaviyo/klaviyo-live-connector.js';
import { createSampleKlaviyoConnector } from './klaviyo/sample-klaviyo-connector.js';

/** Every connector a bot may use, one per domain. */
export interface Connectors {
  crm: CrmConnector;
  freight: FreightConnector;
  commerce: CommerceConnector;
  ads: AdsConnector;
  /** Email and SMS marketing (Klaviyo). */
  klaviyo: KlaviyoConnector;
  /** The same connectors for one run: live calls honour its abortSignal (the runtime binds ctx.connectors). */
  forRun?(run: RunBinding): Connectors;
}

/** What createConnectors needs: the brain (sample data and the side-effect ledger live there) and the env. */
export interface CreateConnectorsOptions {
  db: Db;
  /** Parsed when `config` is not given; default: empty (every vendor on the sample company). */
  env?: Env;
  log?: Logger;
  /** Already-parsed config (tests); otherwise parsed from env. */
  config?: ConnectorsConfig;
  /** The run's abort signal (ctx.abortSignal): live vendor calls end when it aborts. */
  abortSignal?: AbortSignal;
}

/**
 * Build the connectors: live on the vendor's SDK where its credentials are set
 * (HUBSPOT_ACCESS_TOKEN, SHOPIFY_STORE_DOMAIN + SHOPIFY_ADMIN_ACCESS_TOKEN, META_ACCESS_TOKEN +
 * META_AD_ACCOUNT_ID, KLAVIYO_API_KEY), the sample company otherwise. Cheap: SDKs load on first call.
 */
export function createConnectors(options: CreateConnectorsOptions): Connectors {
  const config = options.config ?? loadConnectorsConfig(options.env ?? {});
  const { db } = options;
  // Every live call is bounded by the configured timeout and the run's abort signal.
  const limits = { timeoutMs: config.timeoutMs, ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }) };
  return {
    crm:
      config.hubspot === undefined
        ? createSampleCrmConnector(db)
        : createHubSpotCrmConnector({
            ...config.hubspot,
            ...limits,
            db,
            leaseSeconds: config.sideEffectLeaseSeconds,
            ...(options.log === undefined ? {} : { log: options.log }),
          }),
    freight: createSampleFreightConnector(db),
    commerce: config.shopify === undefined ? createSampleCommerceConnector(db) : createShopifyCommerceConnector({ ...config.shopify, ...limits }),
    ads: config.meta === undefined ? createSampleAdsConnector(db) : createMetaAdsConnector({ ...config.meta, ...limits, db }),
    klaviyo: config.klaviyo === undefined ? createSampleKlaviyoConnector(db) : createKlaviyoConnector({ ...config.klaviyo, ...limits, db }),
    // Cheap to rebuild per run: the config is parsed and SDKs load once per process on first use.
    forRun: (run) => createConnectors({ ...options, config, abortSignal: run.abortSignal }),
  };
}
