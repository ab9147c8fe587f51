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
} from './fake-google-marketing-server.js';
