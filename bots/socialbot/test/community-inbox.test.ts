import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { socialbot } from '../src/bot.js';
import { communityInbox, communityInboxSettings, hideComments, sendSocialReplies } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

const REEL = 'SP-091';

// The same inbox with the wax-smell complaints spread over three days instead of one hour.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const social = data.social as { comments: Array<Record<string, unknown>> };
  let spread = 0;
  for (const comment of social.comments)
    if (String(comment['text']).includes('wax smell') || String(comment['text']).includes('burnt wax')) comment['minutes_ago'] = 300 + (spread += 550);
  return data;
}

describe('socialbot community-inbox', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is a half-hourly watch from 08:00 to 21:30 that skips missed ticks', () => {
    expect(communityInbox.schedule).toBe('*/30 8-21 * * *');
    expect(communityInbox.missed).toBe('skip');
    expect(communityInboxSettings.load({})).toMatchObject({
      SOCIAL_SPIKE_NEGATIVE_COUNT: 5,
      SOCIAL_SPIKE_WINDOW_MINUTES: 60,
      SOCIAL_SPIKE_BASELINE_MULTIPLE: 3,
    });
  });

  it('finds the 7 wax-smell complaints on the Driftwood reel as one alert, drafts replies and a hide for spam, and calls nothing on a rerun', async () => {
    const first = await runJob(socialbot, communityInbox, db, { runId: 'inbox-1' });
    expect(first.outcome).toContain('1 sentiment spike(s)');
    const spikes = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'social_sentiment_spike'`;
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({
      severity: 'alert',
      payload: { platform: 'instagram', post_id: REEL, negative_count: 7, window_minutes: 60, theme: 'wax smell' },
    });
    expect((spikes[0]?.payload['sample_comments'] as string[]).length).toBe(5);

    const triage = await sql<
      Array<{ category: string; count: number }>
    >`select category, count(*)::int as count from social_inbox_triage group by category order by category`;
    expect(triage.reduce((sum, row) => sum + row.count, 0)).toBe(130);
    const hide = await getApproval(db, String(first.detail['hideApprovalId']));
    const hidden = (hide?.draft as { comments: Array<{ quoted: string }> }).comments;
    expect(hidden.length).toBe(7);
    expect(hidden.every((comment) => /follow|\$500|followers|crypto/i.test(comment.quoted))).toBe(true);
    const replies = await getApproval(db, String(first.detail['replyApprovalId']));
    const drafted = (replies?.draft as { replies: Array<{ quoted: string; text: string }> }).replies;
    expect(drafted.find((reply) => reply.quoted.includes('#48222'))?.text).toBe(
      'Order #48222 is being packed now and ships within one business day. Thanks for your patience!',
    );
    expect(drafted.find((reply) => reply.quoted.includes('#48211'))?.text).toContain('replacement');
    expect(drafted.find((reply) => /burn time/i.test(reply.quoted))?.text).toContain('50 hours');
    expect(await sql`select 1 from channel_messages where bot = 'socialbot' and text like '%7 negative comments in 60 min%SP-091%'`).toHaveLength(1);

    // Nothing new since: no model call, the spike stays one signal.
    const calls = (await sql`select 1 from llm_usage where bot = 'socialbot'`).length;
    const again = await runJob(socialbot, communityInbox, db, { runId: 'inbox-2', last: { fingerprint: first.fingerprint ?? null } });
    expect(again.outcome).toContain('no model call');
    expect(await sql`select 1 from llm_usage where bot = 'socialbot'`).toHaveLength(calls);
    expect(await sql`select 1 from bot_signals where signal_type = 'social_sentiment_spike'`).toHaveLength(1);
  });

  it('raises no spike on a healthy variant (the same complaints spread over three days)', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      const result = await runJob(socialbot, communityInbox, healthyDb, { runId: 'inbox-healthy' });
      expect(result.detail['spikes']).toBe(0);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('hides each spam comment and sends each reply once, across a re-execution', async () => {
    const context = buildBotServices(socialbot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(
      new AbortController().signal,
      silent,
    );
    for (const action of [hideComments, sendSocialReplies] as const) {
      const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = ${action.name}`;
      const approval = await getApproval(db, row?.id ?? '');
      const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId: row?.id ?? '', idempotencyKey: `approval:${row?.id ?? ''}` };
      await (action.execute as (draft: unknown, context: unknown, approval: unknown) => Promise<unknown>)(
        action.draft.parse(approval?.draft),
        execution,
        approval,
      );
      await (action.execute as (draft: unknown, context: unknown, approval: unknown) => Promise<unknown>)(
        action.draft.parse(approval?.draft),
        execution,
        approval,
      );
    }
    const comments = await db.rpc('sample_social_comments');
    expect(comments.filter((comment) => comment['hidden'] === true)).toHaveLength(7);
    const actions = await db.rpc('sample_social_actions');
    const replies = await sql<
      Array<{ n: number }>
    >`select count(*)::int as n from approvals a, jsonb_array_elements(a.draft -> 'replies') r where a.action = 'send_social_replies'`;
    expect(actions.filter((action) => action['action'] === 'reply')).toHaveLength(replies[0]?.n ?? -1);
    expect(actions.filter((action) => action['action'] === 'hide')).toHaveLength(7);
  });
});

describe('socialbot community-inbox when the model answers unusable JSON', () => {
  it('triages the open items as "other" instead of failing, and does not call the model again on the same items', async () => {
    const database = await freshDatabase();
    const db = createPostgresDb({ url: database.url, poolMax: 4 });
    // A fake whose every answer is prose: the structured call fails its one repair.
    const anthropic = await startFakeAnthropic({});
    try {
      await loadSampleCompany(db);
      const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
      const first = await runJob(socialbot, communityInbox, db, { runId: 'junk-1', llm });
      expect(first.detail['spikes']).toBe(1);
      const calls = anthropic.usages.length;
      expect(calls).toBe(2);
      const second = await runJob(socialbot, communityInbox, db, { runId: 'junk-2', llm, last: { fingerprint: first.fingerprint ?? null } });
      expect(second.outcome).toContain('no model call');
      expect(anthropic.usages.length).toBe(calls);
    } finally {
      await anthropic.close();
      await db.close();
      await database.drop();
    }
  });
});
