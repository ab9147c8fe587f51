// LLM cost of a repeated job prompt: salesbot's weekly review run twice within five minutes, per
// tier, against the fake Anthropic Messages API (which accounts the prompt cache by the documented
// rules: prefix up to the last breakpoint, byte-identical, 5-minute lifetime, per-model minimum).
// Each run is a two-step tool loop (the model reads the stale deals, then answers), as the real
// job is. Prints tokens and dollars per model call from the llm_usage ledger, then per run:
// uncached (first run, prefix written) vs cached (second run, system prompt and tools read).
import pino from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { buildBotServices, createPostgresDb, defineBot, loadLlmConfig, readConnectorTool } from '@jbot/core';
import { createTestDatabase, startFakeAnthropic, startTestPostgres } from '@jbot/testkit';

const log = pino({ level: 'silent' });
// A realistic standing prompt for salesbot's weekly review (~1,900 tokens) and two read tools.
const SYSTEM = [
  'You are salesbot, the wholesale sales assistant of Harbor & Pine (four consumer brands sold to ~25 wholesale accounts).',
  'Every weekday you review the HubSpot pipeline: new deals, deals without activity for more than 14 days, and deals won since the last review.',
  ...Array.from(
    { length: 60 },
    (_, index) =>
      `Rule ${index + 1}: be specific about the account, stage, amount and the next step; never promise discounts, dates or stock you have not read from a tool.`,
  ),
].join('\n');

export default async function run(): Promise<Record<string, unknown>> {
  const server = await startTestPostgres();
  const database = await createTestDatabase(server.port);
  const db = createPostgresDb({ url: database.url, poolMax: 2 });
  const sql = postgres(database.url, { max: 1 });
  const anthropic = await startFakeAnthropic();
  try {
    const bot = defineBot({ name: 'salesbot', purpose: 'bench' });
    const tools = [
      readConnectorTool('list_stale_deals', 'Open deals without activity for more than 14 days', z.object({ days: z.number().int().default(14) }), async () => [
        { id: '18200340013', name: 'Whole Harvest Market — Holiday program', owner: 'Maya Chen', days_since_activity: 18, amount: 24_000 },
        { id: '18200340026', name: 'Cobblestone Provisions — Spring reorder', owner: 'Leo Park', days_since_activity: 23, amount: 9_500 },
      ]),
      readConnectorTool('lookup_deal', 'One deal with its contacts and owner', z.object({ deal_id: z.string() }), async (input) => ({
        id: input.deal_id,
        contact: 'Dana Whitfield',
      })),
    ];
    // Step 1 reads the stale deals; step 2 (after the tool result) answers.
    anthropic.respondWith((request) => {
      const last = request.messages.at(-1)?.content;
      return Array.isArray(last)
        ? { text: 'Two deals went quiet: Whole Harvest (18 days, $24k) and Cobblestone (23 days, $9.5k). Suggest a follow-up for both.' }
        : { toolUses: [{ name: 'list_stale_deals', input: { days: 14 } }] };
    });
    const runs: Array<{ tier: string; run: number; model: string; usd: number; steps: number }> = [];
    for (const tier of ['smart', 'fast'] as const) {
      for (let runNumber = 1; runNumber <= 2; runNumber += 1) {
        const llm = buildBotServices(bot, {
          db,
          log,
          host: 'bench',
          llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
        }).context(new AbortController().signal, log, { job: 'weekly-review', runId: `${tier}-${runNumber}` }).llm;
        const result = await llm.runTools({
          tier,
          system: SYSTEM,
          prompt: `Review the pipeline for ${runNumber === 1 ? 'Monday' : 'Tuesday'} and say what needs the operator.`,
          tools,
          maxTokens: 400,
        });
        runs.push({ tier, run: runNumber, model: result.model, usd: result.costUsd, steps: result.steps.length + 1 });
      }
    }
    // Per model call, as the ledger priced it.
    const calls = await sql<
      Array<{
        run_id: string;
        model: string;
        input_tokens: number;
        cache_write_tokens: number;
        cache_read_tokens: number;
        output_tokens: number;
        cost_usd: number;
      }>
    >`
      select run_id, model, input_tokens, cache_write_tokens, cache_read_tokens, output_tokens, cost_usd::float8 as cost_usd from llm_usage order by created_at`;
    for (const [index, call] of calls.entries()) {
      const step = calls.slice(0, index).filter((earlier) => earlier.run_id === call.run_id).length + 1;
      process.stdout.write(
        `${JSON.stringify({ run: call.run_id, step, model: call.model, cached: call.cache_read_tokens > 0, input: call.input_tokens, cacheWrite: call.cache_write_tokens, cacheRead: call.cache_read_tokens, output: call.output_tokens, usd: call.cost_usd })}\n`,
      );
    }
    for (const item of runs)
      process.stdout.write(`${JSON.stringify({ run: `${item.tier}-${item.run}`, model: item.model, calls: item.steps, usd: Number(item.usd.toFixed(6)) })}\n`);
    const usd = (tier: string, runNumber: number) => Number((runs.find((item) => item.tier === tier && item.run === runNumber)?.usd ?? 0).toFixed(6));
    const saving = (tier: string) => Number((1 - usd(tier, 2) / usd(tier, 1)).toFixed(3));
    const first = calls[0];
    const withoutCaching = (tier: 'smart' | 'fast') => {
      // The same run with no cache_control at all: every input token at the plain input price.
      const config = loadLlmConfig({});
      const price = config.prices[config.models[tier]];
      if (price === undefined) return null;
      const dollars = calls
        .filter((item) => item.run_id === `${tier}-1`)
        .reduce(
          (sum, call) =>
            sum + ((call.input_tokens + call.cache_write_tokens + call.cache_read_tokens) * price.input + call.output_tokens * price.output) / 1_000_000,
          0,
        );
      return Number(dollars.toFixed(6));
    };
    return {
      model_calls: calls.length,
      cached_prefix_tokens: calls.find((call) => call.run_id === 'smart-2')?.cache_read_tokens,
      first_call_prefix_written: first?.cache_write_tokens,
      smart_run1_usd: usd('smart', 1),
      smart_run2_cached_usd: usd('smart', 2),
      smart_saving: saving('smart'),
      smart_run_without_caching_usd: withoutCaching('smart'),
      fast_run1_usd: usd('fast', 1),
      fast_run2_cached_usd: usd('fast', 2),
      fast_saving: saving('fast'),
      fast_run_without_caching_usd: withoutCaching('fast'),
    };
  } finally {
    await anthropic.close();
    await sql.end();
    await db.close();
    await database.drop();
    await server.stop();
  }
}
