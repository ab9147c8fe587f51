export {
  startFakeKlaviyo,
  type FakeKlaviyo,
  type FakeKlaviyoCampaign,
  type FakeKlaviyoFault,
  type FakeKlaviyoFlow,
  type FakeKlaviyoSeed,
} from './fake-klaviyo-server.js';
export {
  routeKlaviyoGrowth,
  type FakeKlaviyoForm,
  type FakeKlaviyoGrowthSeed,
  type FakeKlaviyoGrowthState,
  type FakeKlaviyoSuppressionJob,
} from './fake-klaviyo-growth.js';
