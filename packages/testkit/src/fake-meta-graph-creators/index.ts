export {
  startFakeMetaGraphCreators,
  type FakeMetaGraphCreators,
  type FakeMetaGraphCreatorsSeed,
  type FakeIgMedia,
  type FakeIgCreator,
  type FakeGraphWrite,
  type FakeGraphFault,
} from './fake-meta-graph-creators.js';
