export { startFakeEcb, type FakeEcb } from './fake-ecb-server.js';
