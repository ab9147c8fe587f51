// @jbot/testkit — what tests and benches need: real Postgres, fake SaaS servers at the transport.
export { startTestPostgres, createTestDatabase, freePort, TEMPLATE_DATABASE, type TestPostgres, type TestDatabase } from './test-postgres.js';
export { startRpcTestServer, type RpcTestServer, type RpcTestServerOptions } from './rpc-test-server.js';
export { signTestJwt, verifyTestJwt } from './test-jwt.js';
export { freshDatabase, testPostgresPort } from './vitest-context.js';
export { waitFor } from './wait-for.js';
export { ManualClock } from './manual-clock.js';

// Fake HubSpot (connectors)
export {
  startFakeHubSpot,
  FakeHubSpotStore,
  type FakeHubSpot,
  type FakeHubSpotOptions,
  type FakeHubSpotFault,
  type FakeHubSpotObject,
  type FakeHubSpotSeed,
  type FakeHubSpotSideEffect,
} from './fake-hubspot/index.js';

// Fake Klaviyo (connectors: JSON:API campaigns, send jobs, lists, segments)
export {
  startFakeKlaviyo,
  type FakeKlaviyo,
  type FakeKlaviyoCampaign,
  type FakeKlaviyoFault,
  type FakeKlaviyoFlow,
  type FakeKlaviyoSeed,
  type FakeKlaviyoForm,
  type FakeKlaviyoGrowthSeed,
} from './fake-klaviyo/index.js';
// Fake Meta Graph API for adsbot and socialbot (ad-level creative, Instagram and Facebook organic)
export {
  startFakeGraphApi,
  type FakeGraphApi,
  type FakeGraphApiSeed,
  type FakeGraphApiWrite,
  type FakeGraphApiFault,
  type GraphObject,
} from './fake-graph-api/index.js';
// Fake Shopify Admin GraphQL (connectors: commerce and fulfilment)
export {
  startFakeShopify,
  FakeShopifyStore,
  rootFields,
  type FakeShopify,
  type FakeShopifyOptions,
  type FakeShopifyFault,
  type FakeShopifySeed,
  type FakeShopifyOrder,
  type FakeShopifyInventoryItem,
  type FakeShopifyFulfillmentOrder,
  type FakeShopifySideEffect,
  type ShopifyMoneyBag,
  type FakeShopifyDiscount,
  type FakeShopifyDiscountChange,
} from './fake-shopify/index.js';

// Fake EasyPost v2 (connectors: parcel)
export {
  startFakeEasyPost,
  type FakeEasyPost,
  type FakeEasyPostOptions,
  type FakeEasyPostShipment,
  type FakeEasyPostShipmentTracker,
  type FakeEasyPostUndeliverable,
} from './fake-easypost/index.js';
// Fake Google (OAuth token endpoint, Calendar v3 events, Gmail v1: the official SDKs run against it)
export {
  startFakeGoogle,
  type FakeGoogle,
  type FakeGoogleOptions,
  type FakeGoogleRequest,
  type FakeCalendarEvent,
  type FakeGmailMessage,
} from './fake-google/index.js';

// Fake news and filings feeds (RSS / Atom over HTTP)
export { startFakeFeedServer, type FakeFeedServer, type FakeFeed } from './fake-feeds/fake-feed-server.js';

// A proxy that holds requests (a vendor that never answers; a kill that lands mid-call)
export { startHoldingProxy, type HoldingProxy, type HeldRequest, type HoldRule } from './holding-proxy.js';

// Telegram (telegram-test-api emulator with real getUpdates semantics)
export {
  startTelegramEmulator,
  type TelegramEmulator,
  type EmulatedBotMessage,
  type EmulatedCallbackAnswer,
  type EmulatedTelegramFault,
} from './telegram/telegram-emulator.js';

// Fake Discord (REST + gateway; discord.js runs against it unmodified)
export {
  startFakeDiscord,
  FakeDiscordStore,
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeDiscordClick,
  type FakeDiscordMessage,
  type FakeDiscordInteractionResponse,
} from './fake-discord/index.js';

// Fake Anthropic (Messages API with prompt-cache accounting and injected 429/529)
export {
  startFakeAnthropic,
  PromptCache,
  tokensOf,
  minimumCacheableTokens,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type FakeAnthropicRequest,
  type FakeAnthropicFault,
  type FakeAnthropicAttempt,
  type FakeModelReply,
  type CacheOutcome,
} from './fake-anthropic/index.js';
export { startFakeAnthropicAdmin, type FakeAnthropicAdmin, type FakeAnthropicAdminOptions, type FakeCostLine } from './fake-anthropic/index.js';

// Bot runtime config for tests
export { testBotConfig } from './test-bot-config.js';
export { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

// Fake Instagram Graph API for studiobot's creators connector (business discovery, tags, mentions, messages)
export {
  startFakeMetaGraphCreators,
  type FakeMetaGraphCreators,
  type FakeMetaGraphCreatorsSeed,
  type FakeIgMedia,
  type FakeIgCreator,
  type FakeGraphWrite,
  type FakeGraphFault,
} from './fake-meta-graph-creators/index.js';

// Fake EasyPost Tracker API (seeding parcels)
export { startFakeEasyPostSeeding, type FakeEasyPostSeeding, type FakeEasyPostTracker } from './fake-easypost-seeding/index.js';
// Fake Meta Graph API (debug_token, for sysbot's credential-expiry)
export { startFakeMetaGraph, type FakeMetaGraph, type FakeMetaToken } from './fake-meta-graph.js';
// Fake Amazon SP-API with LWA (connectors)
export {
  startFakeSpApi,
  type FakeSpApi,
  type FakeSpApiOptions,
  type FakeSpApiSeed,
  type FakeSpListing,
  type FakeSpCatalogItem,
  type FakeSpOffer,
  type FakeSpReviewTopics,
} from './fake-sp-api/fake-sp-api-server.js';
export { type FakeSpFbaSeed, type FakeFbaInventory, type FakeInboundPlan, type FakeInboundShipment } from './fake-sp-api/fake-sp-api-fba.js';
// A real SFTP server in process (ssh2's Server), the 3PL's file drop (connectors)
export { startFakeSftp, type FakeSftp, type FakeSftpOptions } from './fake-sftp/fake-sftp-server.js';

// Fake Google Search Console + PageSpeed Insights with OAuth (connectors)
export { startFakeGoogleSearch, type FakeGoogleSearch, type FakeGoogleSearchSeed, type FakeGscRow } from './fake-google/fake-google-search-server.js';
// Fake Meta Marketing API (campaigns, campaign insights, account status, spend cap, ad review) for mktgbot's paid media
export {
  startFakeMetaMarketing,
  type FakeMetaMarketing,
  type FakeMetaMarketingSeed,
  type FakeMetaMarketingWrite,
  type FakeMetaMarketingFault,
  type MarketingObject,
} from './fake-meta-marketing/index.js';
// Fake storefront (ad landing pages: product pages, removed-product redirects, 404s)
export { startFakeStore, type FakeStore, type FakeStoreRoute } from './fake-store/fake-store-server.js';

// Run one job once as the scheduler would (every bot's job tests)
export { runJobOnce, type JobRunResult, type LastRunFixture, type RunJobOnceOptions } from './run-job-once.js';

// Fake Google marketing APIs (GA4, Google Ads REST, Merchant API) and Amazon Ads (mktgbot)
export {
  startFakeGoogleMarketing,
  type FakeGoogleMarketing,
  type FakeGoogleMarketingSeed,
  type FakeGa4Day,
  type FakeGa4Hour,
  type FakeGoogleAdsCampaign,
  type FakeGoogleAdsCampaignDay,
  type FakeGoogleAdsSearchTerm,
  type FakeGoogleAdsCriterion,
  type FakeMerchantProduct,
} from './fake-google-marketing/index.js';
export { startFakeAmazonAds, type FakeAmazonAds, type FakeSpKeyword, type FakeSpSearchTerm, type FakeSpNegativeKeyword } from './fake-amazon-ads/index.js';
// Fake Terminal49 (containers, JSON:API) and ECB Data Portal (reference rates, CSV) for opsbot's connectors
export { startFakeTerminal49, type FakeTerminal49, type FakeTerminal49Container } from './fake-terminal49/index.js';
export { startFakeEcb, type FakeEcb } from './fake-ecb/index.js';

// Fake Xero (accounting connector): identity token refresh and the Accounting API
export { startFakeXero, type FakeXero, type FakeXeroOptions, type FakeXeroSeed } from './fake-xero/index.js';
export { type FakeHubSpotPipelineData, type FakeHubSpotStage, type FakeHubSpotPropertyHistory } from './fake-hubspot/index.js';
