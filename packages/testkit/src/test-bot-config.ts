import type { StartBotOptions } from '@jbot/core';

/**
 * The runtime config tests start bots with: fast polling so a test waits milliseconds rather than
 * seconds, a short grace period, UTC. Override what a test is about.
 */
export function testBotConfig(overrides: Partial<StartBotOptions['config']> = {}): StartBotOptions['config'] {
  return {
    hostId: 'test-host',
    signals: { pollMs: 100, leaseMs: 10_000, maxAttempts: 3, concurrency: 4 },
    heartbeatIntervalMs: 10_000,
    shutdownGraceMs: 2000,
    timeZone: 'UTC',
    ...overrides,
  };
}
