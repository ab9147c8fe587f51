export { startFakeEasyPostSeeding, type FakeEasyPostSeeding, type FakeEasyPostTracker } from './fake-easypost-seeding.js';
