export {
  startFakeKlaviyo,
  type FakeKlaviyo,
  type FakeKlaviyoCampaign,
  type FakeKlaviyoFault,
  type FakeKlaviyoFlow,
  type FakeKlaviyoSeed,
} from './fake-klaviyo-server.js';
