export { startFakeKlaviyo, type FakeKlaviyo, type FakeKlaviyoCampaign, type FakeKlaviyoFault, type FakeKlaviyoSeed } from './fake-klaviyo-server.js';
