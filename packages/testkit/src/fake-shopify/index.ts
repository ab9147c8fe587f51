export { startFakeShopify, rootFields, type FakeShopify, type FakeShopifyOptions, type FakeShopifyFault } from './fake-shopify-server.js';
export {
  FakeShopifyStore,
  type FakeShopifySeed,
  type FakeShopifyOrder,
  type FakeShopifyInventoryItem,
  type FakeShopifyFulfillmentOrder,
  type FakeShopifySideEffect,
  type ShopifyMoneyBag,
} from './fake-shopify-store.js';
