// The fake HubSpot: a local server at HUBSPOT_API_BASE that records every write.
export { startFakeHubSpot, type FakeHubSpot, type FakeHubSpotOptions, type FakeHubSpotFault } from './fake-hubspot-server.js';
export { FakeHubSpotStore, type FakeHubSpotObject, type FakeHubSpotSeed, type FakeHubSpotSideEffect } from './fake-hubspot-store.js';
export { routePipelineAndHistory, type FakeHubSpotPipelineData, type FakeHubSpotStage, type FakeHubSpotPropertyHistory } from './fake-hubspot-pipeline.js';
