import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { influencerDiscovery, ugcHarvest } from '../src/index.js';
import { TEMPLATE_LABEL } from '../src/jobs/ugc-harvest.js';
import { runJob } from './studiobot-helpers.js';

describe('studiobot model calls (fake Anthropic): fast tier, untrusted text fenced, no call on unchanged input', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let llmEnv: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await loadSampleCompany(db);
    anthropic = await startFakeAnthropic();
    llmEnv = { ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url };
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('ugc-harvest drafts the rights requests in one fast call with the captions fenced; the same posts again make no call', async () => {
    anthropic.respondWith((request) => {
      const ids = [...String(request.messages[0]?.content).matchAll(/<data label="post (\d+) by/g)].map((match) => match[1]);
      return {
        text: JSON.stringify({
          requests: ids.map((id) => ({ media_id: id, body: `Model-drafted request for ${String(id)}: may we feature it? Reply #YesHarborPine.` })),
        }),
      };
    });
    const before = anthropic.requests.length;
    const first = await runJob(db, ugcHarvest, { runId: 'llm-harvest-1', llmEnv });
    expect(anthropic.requests.length - before).toBe(1);
    const request = anthropic.requests.at(-1);
    expect(request?.model).toBe('claude-haiku-5-5');
    const content = String(request?.messages[0]?.content);
    expect(content).toMatch(/<data label="post \d+ by @annika\.at\.home for Driftwood Candle Co\.">\nCoastal Fog on a rainy Sunday/);
    expect((content.match(/<data label=/g) ?? []).length).toBe(6);
    const approval = await getApproval(db, String(first.detail.approvalId));
    const bodies = (approval?.draft as { requests: Array<{ body: string }> }).requests.map((entry) => entry.body);
    expect(bodies.every((body) => body.startsWith('Model-drafted request for '))).toBe(true);
    const [usage] = await sql<Array<{ bot: string; job: string; model: string }>>`select bot, job, model from llm_usage`;
    expect(usage).toEqual({ bot: 'studiobot', job: 'ugc-harvest', model: 'claude-haiku-5-5' });

    await runJob(db, ugcHarvest, { runId: 'llm-harvest-2', llmEnv, lastFingerprint: first.fingerprint ?? null });
    expect(anthropic.requests.length - before).toBe(1);
  });

  it('influencer-discovery: one fast call for the top 20, bios and captions fenced, the system prompt says they are data', async () => {
    anthropic.respondWith((request) => {
      const names = [...String(request.messages[0]?.content).matchAll(/<data label="@([^ ]+) for/g)].map((match) => match[1]);
      return {
        text: JSON.stringify({
          creators: names.map((name) => ({ username: name, fit_note: 'fits', message: `Hi @${String(name)}, we would love to send you something to try.` })),
        }),
      };
    });
    const before = anthropic.requests.length;
    const first = await runJob(db, influencerDiscovery, { runId: 'llm-discovery-1', llmEnv });
    expect(anthropic.requests.length - before).toBe(1);
    const request = anthropic.requests.at(-1);
    expect((String(request?.messages[0]?.content).match(/<data label="@/g) ?? []).length).toBe(20);
    expect(JSON.stringify(request?.system)).toContain('untrusted data');
    const approval = await getApproval(db, String(first.detail.approvalId));
    expect((approval?.draft as { messages: Array<{ body: string }> }).messages.every((message) => message.body.includes('we would love to send you'))).toBe(
      true,
    );
  });

  it('an answer that will not parse (after the repair) leaves labelled template drafts, not a failed harvest', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 3 });
    try {
      await loadSampleCompany(otherDb);
      anthropic.respondWith(() => ({ text: '{"summary": "here are some ideas"}' }));
      const run = await runJob(otherDb, ugcHarvest, { runId: 'llm-harvest-bad', llmEnv });
      expect(run.outcome).toBe('6 strong UGC posts, posted; request_ugc_rights asked');
      const approval = await getApproval(otherDb, String(run.detail.approvalId));
      expect((approval?.draft as { requests: Array<{ body: string }> }).requests.every((entry) => entry.body.startsWith(TEMPLATE_LABEL))).toBe(true);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
