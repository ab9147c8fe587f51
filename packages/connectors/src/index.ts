// @jbot/connectors — the company's systems behind one interface per domain. Each domain has a
// live implementation on the vendor's official SDK (loaded lazily) and a sample implementation
// over the sample company in the brain; createConnectors picks by the credentials in the env.

// Commonly used
export { createConnectors, type Connectors, type CreateConnectorsOptions } from './create-connectors.js';
export { connectorsExtension } from './connectors-extension.js';
export { loadConnectorsConfig, connectorsEnvShape, type ConnectorsConfig } from './connectors-config.js';
export { loadSampleCompany, type SampleCompanyLoadResult } from './sample/load-sample-company.js';
export { ConnectorError, SideEffectInFlightError } from './connector-error.js';
export {
  logConnectorCalls,
  logConnectorSet,
  noteRateLimitRemaining,
  callerOf,
  type ConnectorCallCaller,
  type ConnectorCallLogOptions,
} from './connector-call-log.js';
export { callVendor, VendorTimeoutError, VendorCallAbortedError, DEFAULT_VENDOR_TIMEOUT_MS, type VendorCallLimits } from './vendor-call.js';

// Domain interfaces
export {
  CLOSED_STAGES,
  dealStageLabel,
  type CrmConnector,
  type Deal,
  type DealOwner,
  type DealContact,
  type SendEmailInput,
  type SendEmailResult,
  type UpdateDealInput,
  type UpdateDealResult,
  type CreateTaskInput,
  type CreateTaskResult,
  type CrmMeeting,
  type LogMeetingInput,
  type LogMeetingResult,
  type SellerAccount,
} from './crm/crm-connector.js';
export type { FreightConnector, Shipment, ShipmentLine, ShipmentImportResult } from './freight/freight-connector.js';
export type { CommerceConnector, Order, OrderLine, InventoryLevel, ListOrdersOptions } from './commerce/commerce-connector.js';
export type {
  FulfilmentConnector,
  StockLevel,
  OrderRiskCase,
  RiskFact,
  HoldOrderInput,
  HoldOrderResult,
  CustomerNoticeInput,
  SetAvailableInput,
  ReturnLine,
} from './fulfilment/fulfilment-connector.js';
export type { SupplyConnector, PurchaseOrderLine, SupplyFacts } from './fulfilment/supply-connector.js';
export type { WarehouseConnector, ShipmentConfirmation, InventoryLot, WarehouseOnHand, DonationOrderInput } from './fulfilment/warehouse-connector.js';
export type { ParcelConnector, AddressToVerify, AddressVerification, ParcelShipment } from './fulfilment/parcel-connector.js';
export type { AdsConnector, AdCampaign, AdInsight, PauseCampaignInput, PauseCampaignResult } from './ads/ads-connector.js';
export {
  SALES_CHANNELS,
  type ReportingConnector,
  type SalesChannel,
  type DailySales,
  type BrandSales,
  type PlanTarget,
  type MonthlyKpi,
  type MonthlyOps,
} from './reporting/reporting-connector.js';
export type { NewsConnector, NewsItem, NewsRead } from './news/news-connector.js';
export type { CalendarConnector, CalendarEvent, EventAttendee } from './calendar/calendar-connector.js';
export type { MailConnector, MailHeader, NewMail, SendMailInput, SendMailResult } from './mail/mail-connector.js';
export type { PublishingConnector, ScheduledContent, DisclosureEvent } from './publishing/publishing-connector.js';
export type {
  KlaviyoConnector,
  KlaviyoAudience,
  KlaviyoCampaignMessage,
  KlaviyoFlowDay,
  KlaviyoFlowReport,
  KlaviyoSentCampaign,
  FlowReportWindow,
  UnscheduleCampaignInput,
  UnscheduleCampaignResult,
} from './klaviyo/klaviyo-connector.js';
export type {
  AdSet,
  CreativeAd,
  AdDailyInsight,
  CreativeTest,
  CreativeAsset,
  BrandGuideline,
  SetAdStatusInput,
  SetAdStatusResult,
  CreateAdInput,
  CreateAdResult,
} from './ads/ad-creative.js';
export {
  SOCIAL_PLATFORMS,
  type SocialConnector,
  type SocialPlatform,
  type SocialPost,
  type SocialInboxItem,
  type SocialLaunch,
  type ContentPillar,
  type PublishPostInput,
  type PublishPostResult,
  type SocialReplyInput,
  type SocialReplyResult,
  type HideCommentInput,
  type HideCommentResult,
} from './social/social-connector.js';
export type {
  CreatorsConnector,
  CreatorProfile,
  CreatorMedia,
  CreatorPost,
  TaggedMedia,
  RightsReply,
  CreatorAttribution,
  AssetUse,
  CreatorMessageInput,
  CreatorMessageResult,
} from './creators/creators-connector.js';
export type { SeedingShipmentsConnector, SeedingTracker } from './seeding/seeding-connector.js';

export type {
  CredentialStatus,
  CredentialsConnector,
  BackupObject,
  RestoreTest,
  BackupsConnector,
  FleetLogLine,
  FleetLogsConnector,
  LlmCostLine,
  LlmCostBucket,
  LlmBillingConnector,
} from './fleet/fleet-ops-connectors.js';
export type {
  MarketplaceConnector,
  AmazonListing,
  ListingIssue,
  CatalogPage,
  CompetitiveSummary,
  ListingPatch,
  PatchListingInput,
  PatchListingResult,
  ReviewTopic,
  ItemReviewTopics,
} from './marketplace/marketplace-connector.js';
export type { SearchConnector, SearchAnalyticsRow, FieldVitals, IndexStatus } from './search/search-connector.js';
export type { SiteConnector, CrawledPage, CrawledLink, CrawlOptions } from './site/site-connector.js';
export type { StorefrontConnector, ProductContent, StoreReview, UpdatePageSeoInput, PublishProductCopyInput } from './storefront/storefront-connector.js';

// Implementations (for tests and explicit wiring)
export { createSampleCrmConnector } from './crm/sample-crm-connector.js';
export {
  probeHubSpot,
  createHubSpotCrmConnector,
  HUBSPOT_DEAL_PROPERTIES,
  HUBSPOT_IDEMPOTENCY_PROPERTY,
  type HubSpotCrmOptions,
} from './crm/hubspot-crm-connector.js';
export { createSampleFreightConnector } from './freight/sample-freight-connector.js';
export { parseShipmentCsv, type ShipmentCsvRow } from './freight/shipment-csv.js';
export { createSampleCommerceConnector } from './commerce/sample-commerce-connector.js';
export { probeShopify, createShopifyCommerceConnector, type ShopifyCommerceOptions } from './commerce/shopify-commerce-connector.js';
export {
  createSampleFulfilmentConnector,
  createSampleSupplyConnector,
  createSampleWarehouseConnector,
  createSampleParcelConnector,
} from './fulfilment/sample-fulfilment-connector.js';
export { createEasyPostParcelConnector, type EasyPostParcelOptions } from './fulfilment/easypost-parcel-connector.js';
export { easypostShipmentsFromSample, type EasyPostShipmentSeed } from './fulfilment/easypost-sample-objects.js';
export { createShopifyFulfilmentConnector, type ShopifyFulfilmentOptions } from './fulfilment/shopify-fulfilment-connector.js';
export {
  shopifyObjectsFromSample,
  type ShopifySampleObjects,
  type ShopifyOrderSeed,
  type ShopifyInventoryItemSeed,
} from './fulfilment/shopify-sample-objects.js';
export { createSampleAdsConnector } from './ads/sample-ads-connector.js';
export { createSampleKlaviyoConnector } from './klaviyo/sample-klaviyo-connector.js';
export { createKlaviyoConnector, type KlaviyoOptions } from './klaviyo/klaviyo-live-connector.js';
export {
  calendarEntryOf,
  type KlaviyoFormDay,
  type KlaviyoFormReport,
  type KlaviyoGrowthDay,
  type KlaviyoCampaignSummary,
  type KlaviyoGrowthConnector,
  type CreateCampaignDraftInput,
  type CreateCampaignDraftResult,
  type KlaviyoSegmentProfile,
  type SuppressSegmentInput,
  type SuppressSegmentResult,
} from './klaviyo/klaviyo-growth-connector.js';
export { createSampleReportingConnector } from './reporting/sample-reporting-connector.js';
export { createSamplePublishingConnector } from './publishing/sample-publishing-connector.js';
export { createSampleMailConnector } from './mail/sample-mail-connector.js';
export { createSampleNewsConnector } from './news/sample-news-connector.js';
export { createRssNewsConnector, type RssNewsOptions } from './news/rss-news-connector.js';
export { parseFeedXml } from './news/parse-feed.js';
export { createSampleCalendarConnector } from './calendar/sample-calendar-connector.js';
export { createGoogleCalendarConnector } from './calendar/google-calendar-connector.js';
export { createGmailMailConnector, parseAddress, type GmailOptions } from './mail/gmail-mail-connector.js';
export { rfc822Message, rawMessage, messageIdFor } from './mail/rfc822-message.js';
export { GoogleApiError, type GoogleOptions } from './google/google-client.js';
export { googleWorkspaceFromSample, zonedInstant, type GoogleEventSeed, type GmailMessageSeed } from './google/google-sample-objects.js';
export { probeMetaAds, createMetaAdsConnector, type MetaAdsOptions } from './ads/meta-ads-connector.js';
export { createSampleSocialConnector, routeSocialByPlatform } from './social/sample-social-connector.js';
export { probeMetaSocial, createMetaSocialConnector, type MetaSocialOptions } from './social/meta-social-connector.js';
export { createFleetOpsConnectors, type FleetOpsConnectors } from './fleet/create-fleet-ops-connectors.js';
export {
  createSampleCredentialsConnector,
  createSampleBackupsConnector,
  createSampleFleetLogsConnector,
  createSampleLlmBillingConnector,
  SAMPLE_ANTHROPIC_PRICES,
} from './fleet/sample-fleet-ops.js';
export {
  createDirectoryBackupsConnector,
  createFileFleetLogsConnector,
  createTlsCredentialsConnector,
  tlsEndpoints,
  RESTORE_TEST_LOG,
  type TlsEndpoint,
} from './fleet/local-fleet-ops.js';
export { createVendorCredentialsConnector } from './fleet/vendor-credentials.js';
export {
  fetchAnthropicCostReport,
  probeAnthropicAdmin,
  createAnthropicBillingConnector,
  AnthropicAdminError,
  type AnthropicAdminOptions,
  type AnthropicCostReportPage,
} from './fleet/anthropic-admin-client.js';
export { createSampleMarketplaceConnector, SAMPLE_SELLER_ID } from './marketplace/sample-marketplace-connector.js';
export { createAmazonMarketplaceConnector, probeAmazonSpApi, type AmazonSpApiOptions } from './marketplace/amazon-marketplace-connector.js';
export { createLwaTokenSource, type LwaCredentials } from './marketplace/lwa-token.js';
export type {
  FbaConnector,
  FbaInventorySummary,
  FbaPlanningRow,
  FbaStrandedRow,
  FbaStorageRow,
  FbaInboundShipment,
  FbaCapacityInputs,
  CreateInboundPlanInput,
} from './marketplace/fba-connector.js';
export { createSampleFbaConnector } from './marketplace/sample-fba-connector.js';
export { createAmazonFbaConnector, type AmazonFbaOptions } from './marketplace/amazon-fba-connector.js';
export { parseTabSeparatedReport } from './marketplace/fba-report-rows.js';
export type { WholesaleOrdersConnector, WholesaleOrder, ApplyAllocationInput } from './fulfilment/wholesale-orders-connector.js';
export { createSampleWholesaleOrdersConnector } from './fulfilment/sample-wholesale-orders-connector.js';
export { createShopifyWholesaleOrdersConnector, type ShopifyWholesaleOptions } from './fulfilment/shopify-wholesale-orders-connector.js';
export { createSftpWarehouseConnector, probeSftpWarehouse, hostKeyFingerprint, type SftpWarehouseOptions } from './fulfilment/sftp-warehouse-connector.js';
export { WarehouseFileError, parseShipmentConfirmations, parseInventoryLots, parseOnHand, donationOrderCsv } from './fulfilment/warehouse-csv.js';
export { createSampleSearchConnector } from './search/sample-search-connector.js';
export { createGoogleSearchConnector, type GoogleSearchOptions } from './search/google-search-connector.js';
export { createSampleSiteConnector } from './site/sample-site-connector.js';
export { createHttpSiteCrawler, CRAWLER_USER_AGENT, type HttpSiteCrawlerOptions } from './site/http-site-crawler.js';
export { createSampleStorefrontConnector } from './storefront/sample-storefront-connector.js';
export type {
  Discount,
  CodeRedemption,
  DiscountsConnector,
  UpdateDiscountInput,
  UpdateDiscountResult,
  CreateDiscountInput,
  CreateDiscountResult,
} from './commerce/discounts-connector.js';
export { createSampleDiscountsConnector } from './commerce/sample-discounts-connector.js';
export { createShopifyDiscountsConnector, type ShopifyDiscountsOptions } from './commerce/shopify-discounts-connector.js';
export { createSideEffectLedger, type SideEffectLedger } from './ledger/side-effect-ledger.js';
export { createSampleCreatorsConnector } from './creators/sample-creators-connector.js';
export { probeMetaCreators, createMetaCreatorsConnector, type MetaCreatorsOptions } from './creators/meta-creators-connector.js';
export { createSampleSeedingConnector } from './seeding/sample-seeding-connector.js';
export { probeEasyPost, createEasyPostSeedingConnector, type EasyPostSeedingOptions } from './seeding/easypost-seeding-connector.js';

// Sample company
export { readSampleCompanyData, sampleDataDirectory, SAMPLE_DATA_FILES, type SampleCompanyData } from './sample/sample-company-data.js';
export { metaGraphObjectsFromSample, type MetaGraphSampleObjects } from './ads/meta-graph-sample-objects.js';
export { hubspotObjectsFromSample, type HubSpotSampleObjects, type HubSpotObjectSeed } from './crm/hubspot-sample-objects.js';

// Shared analysis over connector data
export { projectStockouts, restockDateFor, RECEIVING_DAYS, dayNumber, dayString, type StockRunway } from './analysis/project-stockouts.js';
export { forecastFulfilment, type FulfilmentForecast, type AffectedOrder, type FreightDelayInput } from './analysis/forecast-fulfilment.js';
export type {
  CrmActivity,
  CrmEngagement,
  CrmTask,
  CrmQuote,
  CrmLineItem,
  CrmProduct,
  CrmLead,
  CrmTerritory,
  CrmOwnerTeam,
  AssignLeadInput,
  AssignLeadResult,
  LeadEmailInput,
  LeadEmailResult,
  AccountOnboarding,
  OnboardingItem,
  CrmProspect,
  BrandFact,
  ProspectEmailInput,
} from './crm/crm-activity.js';
export { ONBOARDING_ITEMS } from './crm/crm-activity.js';
export { HUBSPOT_LEAD_PROPERTIES, WHOLESALE_FORM_EVENT } from './crm/hubspot-crm-activity.js';
export { hubspotActivityFromSample, weekdayBefore, type HubSpotActivitySeed } from './crm/hubspot-activity-sample-objects.js';
// Paid media across Meta, Google Ads, TikTok, Pinterest and Amazon Ads (mktgbot)
export {
  AD_PLATFORMS,
  combineAdPlatforms,
  type AdPlatform,
  type AdPlatformAdapter,
  type AdAccountStatus,
  type AdReview,
  type AdSetLearning,
  type AdDestination,
  type UpdateAdSetInput,
  type CampaignDay,
  type CampaignFunnel,
  type CampaignPatch,
  type IntradaySpend,
  type MarketingPlanBudget,
  type MarketingPlanSource,
  type PaidCampaign,
  type PaidMediaConnector,
  type SetBudgetInput,
  type SetBudgetResult,
  type SetSpendCapInput,
  type SetSpendCapResult,
} from './paid-media/paid-media-connector.js';
export { createSamplePaidMedia, localHour, normaliseAdAccountStatus } from './paid-media/sample-paid-media.js';
export { createMetaPaidMedia, funnelFromName } from './paid-media/meta-paid-media.js';
export { createMetaGraphSession, type MetaGraphSession } from './ads/meta-ads-connector.js';
export { createHttpLandingPages, createSampleLandingPages, type LandingCheck, type LandingPageConnector } from './site/landing-page-connector.js';

// mktgbot's search, analytics and feed connectors (GA4, Shopify order attribution, product feeds, Google Ads, Amazon Ads)
export type { SearchAnalyticsConnectors } from './search-ads/create-search-analytics-connectors.js';
export type { WebAnalyticsConnector, AnalyticsDay, FunnelHour } from './web-analytics/web-analytics-connector.js';
export type { OrderAttributionConnector, OrderVisit } from './commerce/order-attribution-connector.js';
export type { ProductFeedsConnector, ProductFeed, FeedItem } from './feeds/product-feeds-connector.js';
export type {
  GoogleAdsConnector,
  GoogleAdsCampaign,
  GoogleAdsCampaignDay,
  GoogleAdsSearchTerm,
  GoogleAdsKeyword,
  ApplyKeywordsInput,
  ApplyKeywordsResult,
  SetCampaignBudgetInput,
  SetCampaignBudgetResult,
} from './search-ads/google-ads-connector.js';
export type {
  AmazonAdsConnector,
  SpKeyword,
  SpTargetingRow,
  SpSearchTermRow,
  ApplySpChangesInput,
  ApplySpChangesResult,
} from './retail-ads/amazon-ads-connector.js';
// opsbot: purchasing, containers, FX
export type {
  ProcurementConnector,
  Supplier,
  RegisteredPurchaseOrder,
  PurchaseOrderRegisterLine,
  Receipt,
  ClosedPurchaseOrder,
  SupplierHoliday,
  FreightRate,
  SupplierMessage,
  SentSupplierMessage,
  LeadTimeStat,
  DemandBump,
} from './procurement/procurement-connector.js';
export { createSampleProcurementConnector } from './procurement/sample-procurement-connector.js';
export type { Container, ContainerConnector, ContainerStatus } from './containers/container-connector.js';
export { createSampleContainerConnector } from './containers/sample-container-connector.js';
export {
  createTerminal49ContainerConnector,
  containerFromTerminal49,
  Terminal49Error,
  type Terminal49Options,
} from './containers/terminal49-container-connector.js';
export { perUsdSeries, type FxConnector, type ReferenceRate, type ReferenceRatesRead } from './fx/fx-connector.js';
export { createSampleFxConnector } from './fx/sample-fx-connector.js';
export { createEcbFxConnector, parseEcbCsv, EcbRatesError, type EcbFxOptions } from './fx/ecb-fx-connector.js';

// Accounting (the books' receivables: sample books, Xero on xero-node)
export {
  daysPastDue,
  type AccountingConnector,
  type ReceivableInvoice,
  type ReceivedPayment,
  type CustomerCreditNote,
  deductionKindOf,
  type CustomerDeduction,
  type DeductionKind,
  type ProofOfDelivery,
} from './accounting/accounting-connector.js';
export { createSampleAccountingConnector } from './accounting/sample-accounting-connector.js';
export { createXeroAccountingConnector, type XeroAccountingOptions } from './accounting/xero-accounting-connector.js';
export { createXeroTokenSource, type XeroCredentials } from './accounting/xero-token.js';
export {
  xeroObjectsFromSample,
  type XeroSampleObjects,
  type XeroContactSeed,
  type XeroInvoiceSeed,
  type XeroPaymentSeed,
} from './accounting/xero-sample-objects.js';
export { creditLimitOf, onCreditHold, type CrmCompany, type UpdateCompanyInput, type UpdateCompanyResult } from './crm/crm-companies.js';
export { hubspotCompaniesFromSample, hubspotNewRecordsFromSample } from './crm/hubspot-sample-companies.js';
export { TRACKED_DEAL_PROPERTIES, type DealPropertyChange, type DealStage, type RevenueGoal } from './crm/crm-pipeline.js';
export { hubspotPipelineFromSample, type HubSpotSamplePipeline } from './crm/hubspot-sample-pipeline.js';
export type { CompanySearch, ContactSearch, CrmContactRecord, MergeRecordsInput, MergeRecordsResult, CrmSearchMethods } from './crm/crm-search.js';
export type { BouncedContact, CrmTurnoverMethods, InboundEmail } from './crm/crm-turnover.js';
export { hubspotTurnoverFromSample } from './crm/hubspot-sample-turnover.js';
export type { CreateDraftOrderInput, CreateDraftOrderResult, DraftOrder, DraftOrderLine, DraftOrdersConnector } from './commerce/draft-orders-connector.js';
export { createSampleDraftOrdersConnector } from './commerce/sample-draft-orders-connector.js';
export { hubspotSampleRequestsFromSample } from './crm/hubspot-sample-requests.js';
export type { WholesaleHistoryConnector, WholesaleHistoryOrder } from './fulfilment/wholesale-history-connector.js';
export { createSampleWholesaleHistoryConnector } from './fulfilment/sample-wholesale-history-connector.js';
export { createShopifyWholesaleHistoryConnector } from './fulfilment/shopify-wholesale-history-connector.js';
