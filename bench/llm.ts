// LLM cost of a repeated job prompt: the same job run twice within five minutes against the
// fake Anthropic Messages API (which accounts the prompt cache by the documented rules). The
// second run reads the system prompt and tools from the cache; prints tokens and dollars per call.
import pino from 'pino';
import { z } from 'zod';
import { buildBotServices, createPostgresDb, defineBot, loadLlmConfig, readConnectorTool } from '@jbot/core';
import { createTestDatabase, startFakeAnthropic, startTestPostgres } from '@jbot/testkit';

const log = pino({ level: 'silent' });
// A realistic standing prompt for salesbot's weekly review (~1,900 tokens) and two read tools.
const SYSTEM = [
  "You are salesbot, the wholesale sales assistant of Harbor & Pine (four consumer brands sold to ~25 wholesale accounts).",
  'Every weekday you review the HubSpot pipeline: new deals, deals without activity for more than 14 days, and deals won since the last review.',
  ...Array.from({ length: 60 }, (_, index) => `Rule ${index + 1}: be specific about the account, stage, amount and the next step; never promise discounts, dates or stock you have not read from a tool.`),
].join('\n');

export default async function run(): Promise<Record<string, unknown>> {
  const postgres = await startTestPostgres();
  const database = await createTestDatabase(postgres.port);
  const db = createPostgresDb({ url: database.url, poolMax: 2 });
  const anthropic = await startFakeAnthropic();
  try {
    const bot = defineBot({ name: 'salesbot', purpose: 'bench' });
    const tools = [
      readConnectorTool('list_stale_deals', 'Open deals without activity for more than 14 days', z.object({ days: z.number().int().default(14) }), async () => [{ id: '18200340013', name: 'Whole Harvest Market — Holiday program', days: 18 }]),
      readConnectorTool('lookup_deal', 'One deal with its contacts and owner', z.object({ deal_id: z.string() }), async (input) => ({ id: input.deal_id, contact: 'Dana Whitfield' })),
    ];
    anthropic.respondWith(() => ({ text: 'Two deals went quiet: Whole Harvest (18 days) and Cobblestone (23 days). Suggest a follow-up for both.' }));
    const calls: Array<Record<string, number | string | boolean>> = [];
    for (const tier of ['smart', 'fast'] as const) {
      for (let runNumber = 1; runNumber <= 2; runNumber += 1) {
        const llm = buildBotServices(bot, { db, log, host: 'bench', llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }) })
          .context(new AbortController().signal, log, { job: 'weekly-review', runId: `${tier}-${runNumber}` }).llm;
        const result = await llm.runTools({ tier, system: SYSTEM, prompt: `Review the pipeline for ${runNumber === 1 ? 'Monday' : 'Tuesday'} and say what needs the operator.`, tools, maxTokens: 400 });
        calls.push({
          tier, model: result.model, run: runNumber, cached: result.usage.cacheReadTokens > 0,
          input: result.usage.inputTokens, cacheWrite: result.usage.cacheWriteTokens, cacheRead: result.usage.cacheReadTokens, output: result.usage.outputTokens,
          usd: Number(result.costUsd.toFixed(6)),
        });
      }
    }
    for (const call of calls) process.stdout.write(`${JSON.stringify(call)}\n`);
    const byTier = (tier: string) => calls.filter((call) => call.tier === tier);
    const saving = (tier: string) => {
      const [first, second] = byTier(tier);
      return first === undefined || second === undefined ? null : Number((1 - Number(second.usd) / Number(first.usd)).toFixed(3));
    };
    return {
      smart_first_usd: byTier('smart')[0]?.usd, smart_cached_usd: byTier('smart')[1]?.usd, smart_saving: saving('smart'),
      fast_first_usd: byTier('fast')[0]?.usd, fast_cached_usd: byTier('fast')[1]?.usd, fast_saving: saving('fast'),
      cached_prefix_tokens: byTier('smart')[1]?.cacheRead,
    };
  } finally {
    await anthropic.close();
    await db.close();
    await database.drop();
    await postgres.stop();
  }
}
