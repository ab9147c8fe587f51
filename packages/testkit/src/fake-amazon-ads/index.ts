export { startFakeAmazonAds, type FakeAmazonAds, type FakeSpKeyword, type FakeSpSearchTerm, type FakeSpNegativeKeyword } from './fake-amazon-ads-server.js';
