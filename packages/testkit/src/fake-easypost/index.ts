export {
  startFakeEasyPost,
  type FakeEasyPost,
  type FakeEasyPostOptions,
  type FakeEasyPostShipment,
  type FakeEasyPostTracker,
  type FakeEasyPostUndeliverable,
} from './fake-easypost-server.js';
