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
export { resolveDiscountField, NOT_A_DISCOUNT_FIELD, type FakeShopifyDiscount, type FakeShopifyDiscountChange } from './fake-shopify-discounts.js';
