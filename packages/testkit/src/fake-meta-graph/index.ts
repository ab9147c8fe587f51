export {
  startFakeMetaGraph,
  type FakeMetaGraph,
  type FakeMetaGraphSeed,
  type FakeMetaGraphWrite,
  type FakeMetaGraphFault,
  type GraphObject,
} from './fake-meta-graph-server.js';
