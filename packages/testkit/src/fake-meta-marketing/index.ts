export {
  startFakeMetaMarketing,
  type FakeMetaMarketing,
  type FakeMetaMarketingSeed,
  type FakeMetaMarketingWrite,
  type FakeMetaMarketingFault,
  type MarketingObject,
} from './fake-meta-marketing-server.js';
