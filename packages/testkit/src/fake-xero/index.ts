export { startFakeXero, type FakeXero, type FakeXeroOptions, type FakeXeroSeed } from './fake-xero-server.js';
