import path from 'node:path';
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
import type { CalendarConnector } from './calendar/calendar-connector.js';
import { createGoogleCalendarConnector } from './calendar/google-calendar-connector.js';
import { createSampleCalendarConnector } from './calendar/sample-calendar-connector.js';
import { createGmailMailConnector } from './mail/gmail-mail-connector.js';
import type { MailConnector } from './mail/mail-connector.js';
import { createSampleMailConnector } from './mail/sample-mail-connector.js';
import type { NewsConnector } from './news/news-connector.js';
import { createRssNewsConnector } from './news/rss-news-connector.js';
import { createSampleNewsConnector } from './news/sample-news-connector.js';
import { sampleDataDirectory } from './sample/sample-company-data.js';
import type { PublishingConnector } from './publishing/publishing-connector.js';
import { createSamplePublishingConnector } from './publishing/sample-publishing-connector.js';
import type { ReportingConnector } from './reporting/reporting-connector.js';
import { createSampleReportingConnector } from './reporting/sample-reporting-connector.js';
import { createAmazonMarketplaceConnector } from './marketplace/amazon-marketplace-connector.js';
import type { MarketplaceConnector } from './marketplace/marketplace-connector.js';
import { createSampleMarketplaceConnector } from './marketplace/sample-marketplace-connector.js';
import type { FbaConnector } from './marketplace/fba-connector.js';
import { createSampleFbaConnector } from './marketplace/sample-fba-connector.js';
import { createAmazonFbaConnector } from './marketplace/amazon-fba-connector.js';
import type { WholesaleOrdersConnector } from './fulfilment/wholesale-orders-connector.js';
import { createSampleWholesaleOrdersConnector } from './fulfilment/sample-wholesale-orders-connector.js';
import { createSftpWarehouseConnector } from './fulfilment/sftp-warehouse-connector.js';
import { createShopifyWholesaleOrdersConnector } from './fulfilment/shopify-wholesale-orders-connector.js';
import { createGoogleSearchConnector } from './search/google-search-connector.js';
import { createSampleSearchConnector } from './search/sample-search-connector.js';
import type { SearchConnector } from './search/search-connector.js';
import { createHttpSiteCrawler } from './site/http-site-crawler.js';
import { createSampleSiteConnector } from './site/sample-site-connector.js';
import type { SiteConnector } from './site/site-connector.js';
import { createSampleStorefrontConnector } from './storefront/sample-storefront-connector.js';
import type { StorefrontConnector } from './storefront/storefront-connector.js';
import type { DiscountsConnector } from './commerce/discounts-connector.js';
import { createSampleDiscountsConnector } from './commerce/sample-discounts-connector.js';
import { createShopifyDiscountsConnector } from './commerce/shopify-discounts-connector.js';
import { createSampleFreightConnector } from './freight/sample-freight-connector.js';
import type { KlaviyoConnector } from './klaviyo/klaviyo-connector.js';
import { createKlaviyoConnector } from './klaviyo/klaviyo-live-connector.js';
import { createSampleKlaviyoConnector } from './klaviyo/sample-klaviyo-connector.js';
import { createMetaSocialConnector } from './social/meta-social-connector.js';
import { createSampleSocialConnector, routeSocialByPlatform } from './social/sample-social-connector.js';
import type { SocialConnector } from './social/social-connector.js';
import type { FulfilmentConnector } from './fulfilment/fulfilment-connector.js';
import type { ParcelConnector } from './fulfilment/parcel-connector.js';
import type { SupplyConnector } from './fulfilment/supply-connector.js';
import type { WarehouseConnector } from './fulfilment/warehouse-connector.js';
import {
  createSampleFulfilmentConnector,
  createSampleParcelConnector,
  createSampleSupplyConnector,
  createSampleWarehouseConnector,
} from './fulfilment/sample-fulfilment-connector.js';
import { createShopifyFulfilmentConnector } from './fulfilment/shopify-fulfilment-connector.js';
import { createEasyPostParcelConnector } from './fulfilment/easypost-parcel-connector.js';
import type { CreatorsConnector } from './creators/creators-connector.js';
import { createMetaCreatorsConnector } from './creators/meta-creators-connector.js';
import { createSampleCreatorsConnector } from './creators/sample-creators-connector.js';
import type { SeedingShipmentsConnector } from './seeding/seeding-connector.js';
import { createEasyPostSeedingConnector } from './seeding/easypost-seeding-connector.js';
import { createSampleSeedingConnector } from './seeding/sample-seeding-connector.js';
import { callerOf, logConnectorSet } from './connector-call-log.js';
import { createFleetOpsConnectors, type FleetOpsConnectors } from './fleet/create-fleet-ops-connectors.js';
import { combineAdPlatforms, type PaidMediaConnector } from './paid-media/paid-media-connector.js';
import { createMetaPaidMedia } from './paid-media/meta-paid-media.js';
import { googleAdsPaidMedia } from './paid-media/google-ads-paid-media.js';
import { createSamplePaidMedia } from './paid-media/sample-paid-media.js';
import { createHttpLandingPages, createSampleLandingPages, type LandingPageConnector } from './site/landing-page-connector.js';
import { createSearchAnalyticsConnectors, type SearchAnalyticsConnectors } from './search-ads/create-search-analytics-connectors.js';
import type { ProcurementConnector } from './procurement/procurement-connector.js';
import { createSampleProcurementConnector } from './procurement/sample-procurement-connector.js';
import type { ContainerConnector } from './containers/container-connector.js';
import { createSampleContainerConnector } from './containers/sample-container-connector.js';
import { createTerminal49ContainerConnector } from './containers/terminal49-container-connector.js';
import type { FxConnector } from './fx/fx-connector.js';
import { createEcbFxConnector } from './fx/ecb-fx-connector.js';
import { createSampleFxConnector } from './fx/sample-fx-connector.js';
import type { AccountingConnector } from './accounting/accounting-connector.js';
import { createSampleAccountingConnector } from './accounting/sample-accounting-connector.js';
import { createXeroAccountingConnector } from './accounting/xero-accounting-connector.js';
import type { DraftOrdersConnector } from './commerce/draft-orders-connector.js';
import { createSampleDraftOrdersConnector } from './commerce/sample-draft-orders-connector.js';
import type { WholesaleHistoryConnector } from './fulfilment/wholesale-history-connector.js';
import { createSampleWholesaleHistoryConnector } from './fulfilment/sample-wholesale-history-connector.js';
import { createShopifyWholesaleHistoryConnector } from './fulfilment/shopify-wholesale-history-connector.js';

/** Every connector a bot may use, one per domain. */
export interface Connectors extends FleetOpsConnectors, SearchAnalyticsConnectors {
  crm: CrmConnector;
  freight: FreightConnector;
  commerce: CommerceConnector;
  ads: AdsConnector;
  /** Email and SMS marketing (Klaviyo). */
  klaviyo: KlaviyoConnector;
  /** Organic social (Instagram and Facebook live on Meta when configured; TikTok and Pinterest on the sample company). */
  social: SocialConnector;
  /** The store's fulfilment side (stock by location, order risk, holds): Shopify or the sample store. */
  fulfilment: FulfilmentConnector;
  /** Open purchase orders and supplier lead times (sample only). */
  supply: SupplyConnector;
  /** The 3PL's files (shipment confirmations, lots, on-hand; donation orders out): SFTP with WMS_SFTP_HOST set. */
  warehouse: WarehouseConnector;
  /** The parcel carrier (address checks). */
  parcel: ParcelConnector;
  /** Daily sales by channel, the plan and closed months (sample only yet: no live finance/SP-API adapter). */
  reporting: ReportingConnector;
  /** Scheduled campaigns and posts, and the disclosure calendar (sample only yet: no live Klaviyo/social adapter). */
  publishing: PublishingConnector;
  /** The operator's mailbox: new inbox headers, approved sends (Gmail with GOOGLE_WORKSPACE_* set). */
  mail: MailConnector;
  /** The operator's calendar (Google Calendar with GOOGLE_WORKSPACE_* set). */
  calendar: CalendarConnector;
  /** News and filings feeds (RSS/Atom from NEWS_FEED_URLS; the sample feed otherwise). */
  news: NewsConnector;
  /** Creators and UGC on Instagram (studiobot). */
  creators: CreatorsConnector;
  /** Seeding parcels to creators (EasyPost trackers). */
  seeding: SeedingShipmentsConnector;
  /** Amazon SP-API: listings, detail pages, featured offers, review topics. */
  marketplace: MarketplaceConnector;
  /** Search Console and PageSpeed Insights. */
  search: SearchConnector;
  /** A polite crawl of our own store. */
  site: SiteConnector;
  /** The store's product copy, SEO fields and reviews (sample only so far). */
  storefront: StorefrontConnector;
  /** Purchasing: PO register, acknowledgements, receipts, supplier messages (sample only yet). */
  procurement: ProcurementConnector;
  /** Containers at the port: last free days, holds, appointments (Terminal49 with TERMINAL49_API_KEY). */
  containers: ContainerConnector;
  /** ECB euro reference rates (live with ECB_FX_LIVE=true). */
  fx: FxConnector;
  /** Port, carrier and supplier-city news (OPS_NEWS_FEED_URLS; the sample ops feed otherwise). */
  supplierNews: NewsConnector;
  /** Amazon FBA: inventory, planning/stranded/storage reports, inbound shipments and plans. */
  fba: FbaConnector;
  /** Open wholesale POs with ship windows: Shopify B2B orders tagged wholesale, or the sample's. */
  wholesale: WholesaleOrdersConnector;
  /** Paid media on five platforms (Meta live with META_ACCESS_TOKEN + META_AD_ACCOUNT_ID; Google Ads, TikTok, Pinterest, Amazon Ads on the sample company). */
  paidMedia: PaidMediaConnector;
  /** Where ads land on our store (STORE_URL over HTTP; the sample store's handles otherwise). */
  landingPages: LandingPageConnector;
  /** The store's promotions and discount codes (Shopify discountNodes, orders by code). */
  discounts: DiscountsConnector;
  /** The books' receivables: invoices, payments, credit notes (Xero with XERO_* set, the sample books otherwise). */
  accounting: AccountingConnector;
  /** Wholesale order history by account with units shipped: Shopify B2B orders tagged wholesale, or the sample's. */
  wholesaleHistory: WholesaleHistoryConnector;
  /** The same connectors for one run: live calls honour its abortSignal (the runtime binds ctx.connectors). */
  forRun?(run: RunBinding): Connectors;
  /** The store's draft orders (salesbot's sample orders; sample only yet: no live Shopify adapter). */
  draftOrders: DraftOrdersConnector;
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
  const connectors: Connectors = {
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
    social:
      config.metaSocial === undefined
        ? createSampleSocialConnector(db)
        : routeSocialByPlatform(createMetaSocialConnector({ ...config.metaSocial, ...limits, db }), createSampleSocialConnector(db)),
    fulfilment:
      config.shopify === undefined
        ? createSampleFulfilmentConnector(db)
        : createShopifyFulfilmentConnector({ ...config.shopify, ...limits, db, leaseSeconds: config.sideEffectLeaseSeconds }),
    supply: createSampleSupplyConnector(db),
    warehouse: config.warehouseSftp === undefined ? createSampleWarehouseConnector(db) : createSftpWarehouseConnector({ ...config.warehouseSftp, ...limits }),
    parcel: config.easypost === undefined ? createSampleParcelConnector(db) : createEasyPostParcelConnector({ ...config.easypost, ...limits }),
    reporting: createSampleReportingConnector(db),
    publishing: createSamplePublishingConnector(db),
    mail:
      config.workspace === undefined
        ? createSampleMailConnector(db)
        : createGmailMailConnector({ ...config.workspace, ...limits, db, leaseSeconds: config.sideEffectLeaseSeconds }),
    news: config.news === undefined ? createSampleNewsConnector(db) : createRssNewsConnector({ ...config.news, ...limits }),
    calendar: config.workspace === undefined ? createSampleCalendarConnector(db) : createGoogleCalendarConnector({ ...config.workspace, ...limits }),
    creators: config.instagram === undefined ? createSampleCreatorsConnector(db) : createMetaCreatorsConnector({ ...config.instagram, ...limits, db }),
    seeding: config.easypost === undefined ? createSampleSeedingConnector(db) : createEasyPostSeedingConnector({ ...config.easypost, ...limits }),
    ...createFleetOpsConnectors(db, config),
    marketplace: config.amazon === undefined ? createSampleMarketplaceConnector(db) : createAmazonMarketplaceConnector({ ...config.amazon, ...limits, db }),
    search: config.google === undefined ? createSampleSearchConnector(db) : createGoogleSearchConnector({ ...config.google, ...limits }),
    site:
      config.store === undefined
        ? createSampleSiteConnector(db)
        : createHttpSiteCrawler({ storeUrl: config.store.url, delayMs: config.store.crawlDelayMs, ...limits }),
    storefront: createSampleStorefrontConnector(db),
    fba: config.amazon === undefined ? createSampleFbaConnector(db) : createAmazonFbaConnector({ ...config.amazon, ...limits, db }),
    wholesale:
      config.shopify === undefined
        ? createSampleWholesaleOrdersConnector(db)
        : createShopifyWholesaleOrdersConnector({ ...config.shopify, ...limits, db, leaseSeconds: config.sideEffectLeaseSeconds }),
    paidMedia: paidMediaFor(db, config, limits),
    landingPages: config.store === undefined ? createSampleLandingPages(db) : createHttpLandingPages({ storeUrl: config.store.url, ...limits }),
    ...createSearchAnalyticsConnectors(db, config, limits),
    procurement: createSampleProcurementConnector(db),
    containers: config.terminal49 === undefined ? createSampleContainerConnector(db) : createTerminal49ContainerConnector({ ...config.terminal49, ...limits }),
    fx: config.ecb === undefined ? createSampleFxConnector(db) : createEcbFxConnector({ ...config.ecb, ...limits }),
    supplierNews:
      config.supplierNews === undefined
        ? createSampleNewsConnector(db, { file: path.join(sampleDataDirectory(), 'ops-news-feed.xml') })
        : createRssNewsConnector({ ...config.supplierNews, ...limits }),
    discounts:
      config.shopify === undefined
        ? createSampleDiscountsConnector(db)
        : createShopifyDiscountsConnector({ ...config.shopify, ...limits, db, leaseSeconds: config.sideEffectLeaseSeconds }),
    accounting: config.xero === undefined ? createSampleAccountingConnector(db) : createXeroAccountingConnector({ ...config.xero, ...limits, db }),
    draftOrders: createSampleDraftOrdersConnector(db),
    wholesaleHistory:
      config.shopify === undefined ? createSampleWholesaleHistoryConnector(db) : createShopifyWholesaleHistoryConnector({ ...config.shopify, ...limits }),
    // Cheap to rebuild per run: the config is parsed and SDKs load once per process on first use.
    forRun: (run) => createConnectors({ ...options, config, abortSignal: run.abortSignal, log: run.log }),
  };
  // Every connector's calls, live and sample alike, land in connector_calls (sysbot's
  // connector-health reads them), attributed to the run whose logger this is.
  return logConnectorSet(connectors, { db, caller: callerOf(options.log), ...(options.log === undefined ? {} : { log: options.log }) });
}

// Meta live when configured; the other platforms (and Meta otherwise) on the sample company.
function paidMediaFor(db: Db, config: ConnectorsConfig, limits: { timeoutMs: number; abortSignal?: AbortSignal }): PaidMediaConnector {
  const sample = createSamplePaidMedia(db);
  const meta = config.meta === undefined ? sample : createMetaPaidMedia({ ...config.meta, ...limits, db });
  // Google through the search jobs' Google Ads connector (one source of truth for Google); Amazon
  // Ads' connector has no campaign-level report yet, so Amazon stays on the paid-media sample.
  const google = googleAdsPaidMedia(createSearchAnalyticsConnectors(db, config, limits).googleAds);
  // The plan is the company's own (the brain's table), whichever adapters read the platforms.
  return combineAdPlatforms({ meta, google, tiktok: sample, pinterest: sample, amazon: sample }, sample);
}
