export {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type FakeAnthropicRequest,
  type FakeAnthropicFault,
  type FakeAnthropicAttempt,
  type FakeModelReply,
} from './fake-anthropic-server.js';
export { PromptCache, tokensOf, minimumCacheableTokens, type CacheOutcome } from './prompt-cache.js';
export { startFakeAnthropicAdmin, type FakeAnthropicAdmin, type FakeAnthropicAdminOptions, type FakeCostLine } from './fake-anthropic-admin.js';
