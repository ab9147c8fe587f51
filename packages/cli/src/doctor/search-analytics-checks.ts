import type { ConnectorsConfig } from '@jbot/connectors';
import { skip, type CheckResult } from './doctor-check.js';

/**
 * mktgbot's GA4, Google Ads, Merchant Center and Amazon Ads: one line per vendor set live (no
 * network call: a bad credential shows on the first run as a ConnectorError naming the variable);
 * silent when none is, like the other optional vendors. With Merchant Center live, the Meta and
 * Pinterest catalogs are said plainly to have no live adapter yet.
 */
export function searchAnalyticsChecks(config: ConnectorsConfig): CheckResult[] {
  const live = config.searchAnalytics ?? {};
  const results: CheckResult[] = [];
  if (live.ga4 !== undefined) results.push(skip('GA4_PROPERTY_ID', `live: tracking-health and site-conversion-watch read GA4 property ${live.ga4.propertyId}`));
  if (live.googleAds !== undefined)
    results.push(
      skip(
        'GOOGLE_ADS_CUSTOMER_ID',
        `live (REST ${live.googleAds.apiVersion}): search terms, brand impression share, negatives and budgets on ${live.googleAds.customerId}`,
      ),
    );
  if (live.merchant !== undefined) {
    results.push(skip('GOOGLE_MERCHANT_ID', `live: product-feed-health reads the Google feed of Merchant Center ${live.merchant.merchantId}`));
    results.push(skip('Meta / Pinterest catalogs', 'sample adapter only: product-feed-health reads these two feeds from the sample company'));
  }
  if (live.amazonAds !== undefined) results.push(skip('AMAZON_ADS_PROFILE_ID', `live: SP reports, bids and negatives on profile ${live.amazonAds.profileId}`));
  return results;
}
