export {
  startFakeGraphApi,
  type FakeGraphApi,
  type FakeGraphApiSeed,
  type FakeGraphApiWrite,
  type FakeGraphApiFault,
  type GraphObject,
} from './fake-graph-api-server.js';
