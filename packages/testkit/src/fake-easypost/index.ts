export {
  startFakeEasyPost,
  type FakeEasyPost,
  type FakeEasyPostOptions,
  type FakeEasyPostShipment,
  type FakeEasyPostTracker as FakeEasyPostShipmentTracker,
  type FakeEasyPostUndeliverable,
} from './fake-easypost-server.js';
