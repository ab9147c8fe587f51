import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { costUsd, DEFAULT_PRICES } from '@jbot/core';
import { startFakeAnthropic, type FakeAnthropic } from '@jbot/testkit';

// The fake Messages API is what every LLM test trusts, so its prompt-cache accounting and fault
// injection are checked here through the real SDK, the way the runtime calls it.
describe('testkit fake Anthropic Messages API', () => {
  let anthropic: FakeAnthropic;
  let client: Anthropic;
  let clock = 0;
  // ~1,500 tokens: over Sonnet's 1,024-token minimum, under Haiku's 2,048.
  const LONG = 'Write plainly, name the deal, keep it under 120 words, one next step. '.repeat(85);
  const cached = (text: string) => [{ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } }];
  const tool = (name: string, last: boolean) => ({
    name,
    description: `${name} ${LONG}`,
    input_schema: { type: 'object' as const, properties: {} },
    ...(last ? { cache_control: { type: 'ephemeral' as const } } : {}),
  });
  const ask = (system: string, options: { model?: string; tools?: ReturnType<typeof tool>[]; prompt?: string } = {}) =>
    client.messages.create({
      model: options.model ?? 'claude-sonnet-5-5',
      max_tokens: 100,
      system: cached(system),
      ...(options.tools === undefined ? {} : { tools: options.tools }),
      messages: [{ role: 'user', content: options.prompt ?? 'Which deals are stale?' }],
    });

  beforeAll(async () => {
    anthropic = await startFakeAnthropic({ now: () => clock });
    client = new Anthropic({ apiKey: anthropic.apiKey, baseURL: anthropic.url, maxRetries: 2 });
  });
  beforeEach(() => {
    clock += 3_600_000; // an hour later: every earlier cache entry has expired
  });
  afterAll(async () => {
    await anthropic.close();
  });

  it('answers GET /v1/models for a key check and refuses a wrong key with 401', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('claude-haiku-5-5');
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: anthropic.url, maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('an identical prefix within five minutes is read from the cache, refreshed on read, written again after it expires', async () => {
    const first = await ask(`A ${LONG}`);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    clock += 4 * 60_000;
    const second = await ask(`A ${LONG}`, { prompt: 'A different question after the prefix.' });
    expect(second.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: first.usage.cache_creation_input_tokens });
    clock += 4 * 60_000; // 8 minutes after the write, 4 after the read that refreshed it
    expect((await ask(`A ${LONG}`)).usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    clock += 5 * 60_000 + 1;
    const expired = await ask(`A ${LONG}`);
    expect(expired.usage).toMatchObject({ cache_creation_input_tokens: first.usage.cache_creation_input_tokens, cache_read_input_tokens: 0 });
  });

  it('one changed byte in the prefix is a cache write, not a read', async () => {
    await ask(`B ${LONG}`);
    const changed = await ask(`B ${LONG}!`);
    expect(changed.usage.cache_read_input_tokens).toBe(0);
    expect(changed.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
  });

  it("prefixes shorter than the model's minimum are never cached (Haiku 2,048 tokens, Sonnet 1,024)", async () => {
    for (let index = 0; index < 2; index += 1) {
      const short = await ask('Be brief.');
      expect(short.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      const haiku = await ask(`C ${LONG}`, { model: 'claude-haiku-5-5' });
      expect(haiku.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      expect(haiku.usage.input_tokens).toBeGreaterThan(1024);
    }
    expect((await ask(`C ${LONG}`)).usage.cache_creation_input_tokens).toBeGreaterThan(1024);
  });

  it('tools come before system: with a breakpoint on each, a changed system prompt still reads the tools from the cache', async () => {
    const tools = [tool('list_stale_deals', false), tool('lookup_deal', true)];
    const first = (await ask(`D ${LONG}`, { tools })).usage;
    const changed = (await ask(`D ${LONG} (Tuesday)`, { tools })).usage;
    const firstWrite = first.cache_creation_input_tokens ?? 0;
    const read = changed.cache_read_input_tokens ?? 0;
    expect(read).toBeGreaterThan(1024);
    expect(read).toBeLessThan(firstWrite);
    // Only the changed system block is written again (≈ the first write minus the tools).
    expect(changed.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(changed.cache_creation_input_tokens).toBeLessThan(firstWrite - read + 10);
  });

  it('injected 429 and 529 carry retry-after; the SDK honours them and retries, numbering its attempts', async () => {
    const before = anthropic.attempts.length;
    anthropic.failNext({ status: 429, retryAfterSeconds: 1, retryAfterMs: 10 }, { status: 529, retryAfterMs: 10 });
    anthropic.enqueue({ text: 'ok after two retries' });
    const response = await ask('Be brief.');
    expect(response.content).toEqual([{ type: 'text', text: 'ok after two retries' }]);
    expect(anthropic.attempts.slice(before).map((attempt) => [attempt.status, attempt.retryCount])).toEqual([
      [429, 0],
      [529, 1],
      [200, 2],
    ]);

    anthropic.failNext({ status: 529, retryAfterMs: 10 }, { status: 529, retryAfterMs: 10 }, { status: 529, retryAfterMs: 10 });
    await expect(ask('Be brief.')).rejects.toMatchObject({ status: 529 });
    expect(anthropic.attempts.slice(before + 3).map((attempt) => attempt.status)).toEqual([529, 529, 529]);
  });

  it('with an output length, default replies are that long (never zero), JSON when the prompt spells a shape, and billed at DEFAULT_PRICES', async () => {
    const sized = await startFakeAnthropic({ outputTokens: (request) => request.max_tokens * 0.4 });
    try {
      const sizedClient = new Anthropic({ apiKey: sized.apiKey, baseURL: sized.url, maxRetries: 0 });
      const prose = await sizedClient.messages.create({
        model: 'claude-haiku-5-5',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'Summarise the day.' }],
      });
      expect(prose.usage.output_tokens).toBeGreaterThanOrEqual(195);
      expect(prose.usage.output_tokens).toBeLessThanOrEqual(202);
      const json = await sizedClient.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 600,
        system: 'Return JSON only: {"subject": string, "body": string}.',
        messages: [{ role: 'user', content: 'Draft it.\n\nAnswer with one JSON object only.' }],
      });
      const block = json.content[0];
      const value = z
        .object({ subject: z.string().min(3).max(140), body: z.string().min(20).max(3000) })
        .parse(JSON.parse(block?.type === 'text' ? block.text : ''));
      expect(value.body.length).toBeGreaterThan(800);
      const tiny = await sizedClient.messages.create({ model: 'claude-haiku-5-5', max_tokens: 2, messages: [{ role: 'user', content: 'Yes or no?' }] });
      expect(tiny.usage.output_tokens).toBeGreaterThan(0);
      const expected = [prose, json, tiny].reduce(
        (sum, response) =>
          sum +
          costUsd(
            { inputTokens: response.usage.input_tokens, outputTokens: response.usage.output_tokens, cacheWriteTokens: 0, cacheReadTokens: 0 },
            DEFAULT_PRICES[response.model] ?? { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
          ),
        0,
      );
      const bill = sized.bill();
      expect(bill.usd).toBeCloseTo(expected, 6);
      expect(bill.byModel['claude-haiku-5-5']?.calls).toBe(2);
      await expect(startFakeAnthropic({ outputTokens: 0 })).rejects.toThrow(/at least 1/);
    } finally {
      await sized.close();
    }
  });
});
