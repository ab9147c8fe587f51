import type { Db } from '@jbot/core';
import type { ConnectorsConfig } from '../connectors-config.js';
import type { OrderAttributionConnector } from '../commerce/order-attribution-connector.js';
import { createSampleOrderAttributionConnector } from '../commerce/sample-order-attribution-connector.js';
import { createShopifyOrderAttributionConnector } from '../commerce/shopify-order-attribution-connector.js';
import type { ProductFeedsConnector } from '../feeds/product-feeds-connector.js';
import { createMerchantProductFeedsConnector } from '../feeds/merchant-product-feeds-connector.js';
import { createSampleProductFeedsConnector } from '../feeds/sample-product-feeds-connector.js';
import type { AmazonAdsConnector } from '../retail-ads/amazon-ads-connector.js';
import { createAmazonAdsRestConnector } from '../retail-ads/amazon-ads-rest-connector.js';
import { createSampleAmazonAdsConnector } from '../retail-ads/sample-amazon-ads-connector.js';
import { createGa4WebAnalyticsConnector } from '../web-analytics/ga4-web-analytics-connector.js';
import { createSampleWebAnalyticsConnector } from '../web-analytics/sample-web-analytics-connector.js';
import type { WebAnalyticsConnector } from '../web-analytics/web-analytics-connector.js';
import type { GoogleAdsConnector } from './google-ads-connector.js';
import { createGoogleAdsRestConnector } from './google-ads-rest-connector.js';
import { createSampleGoogleAdsConnector } from './sample-google-ads-connector.js';

/** mktgbot's search, analytics and feed connectors. */
export interface SearchAnalyticsConnectors {
  /** GA4: daily purchases and the hourly funnel by device. */
  analytics: WebAnalyticsConnector;
  /** Shopify orders' last visit (source, UTM tags). */
  orderAttribution: OrderAttributionConnector;
  /** Google Merchant Center (live), Meta and Pinterest catalogs (sample). */
  feeds: ProductFeedsConnector;
  /** Google Ads: campaigns, impression share, search terms, keywords, budgets. */
  googleAds: GoogleAdsConnector;
  /** Amazon Ads Sponsored Products: keywords, reports, bids, negatives. */
  amazonAds: AmazonAdsConnector;
}

/** Build them: live where the vendor's credentials are set, the sample company otherwise. */
export function createSearchAnalyticsConnectors(
  db: Db,
  config: ConnectorsConfig,
  limits: { timeoutMs: number; abortSignal?: AbortSignal },
): SearchAnalyticsConnectors {
  const live = config.searchAnalytics ?? {};
  return {
    analytics: live.ga4 === undefined ? createSampleWebAnalyticsConnector(db) : createGa4WebAnalyticsConnector({ ...live.ga4, ...limits }),
    orderAttribution:
      config.shopify === undefined ? createSampleOrderAttributionConnector(db) : createShopifyOrderAttributionConnector({ ...config.shopify, ...limits }),
    feeds: live.merchant === undefined ? createSampleProductFeedsConnector(db) : createMerchantProductFeedsConnector({ ...live.merchant, ...limits }),
    googleAds: live.googleAds === undefined ? createSampleGoogleAdsConnector(db) : createGoogleAdsRestConnector({ ...live.googleAds, ...limits, db }),
    amazonAds: live.amazonAds === undefined ? createSampleAmazonAdsConnector(db) : createAmazonAdsRestConnector({ ...live.amazonAds, ...limits, db }),
  };
}
