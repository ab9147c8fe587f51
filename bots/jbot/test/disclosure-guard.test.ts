import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import { buildBotServices, createPostgresDb, decideApproval, defineAction, defineBot, getApproval, loadLlmConfig, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, testBotConfig, waitFor, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import {
  createJbot,
  DisclosureApproverError,
  disclosureGuard,
  disclosureGuardSettings,
  jbot,
  loadJbotConfig,
  preFilter,
  releaseDisclosureHold,
  answerJbotInstruction,
} from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

const silent = pino({ level: 'silent' });

// A bot with an outward action, standing in for salesbot's outreach.
const sendOutreach = defineAction({ name: 'send_outreach', draft: z.object({ to: z.string(), body: z.string() }), execute: () => ({ summary: 'sent' }) });
const outreachBot = defineBot({ name: 'salesbot', actions: [sendOutreach] });

// The same company with its quarter end 40 days out: no quiet period, nothing checked.
function noQuietPeriod(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const event of (data.disclosure as { calendar: Array<{ kind: string; days_from_now: number }> }).calendar) {
    if (event.kind === 'quarter_end') event.days_from_now = 40;
    if (event.kind === 'earnings_release') event.days_from_now = 70;
  }
  return data;
}

describe('jbot disclosure-guard', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let heldId = '';
  let cleanId = '';
  let fingerprint = '';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    await loadSampleCompany(db);
    const services = buildBotServices(outreachBot, { db, log: silent, host: 'test-host' });
    heldId = (
      await services.approvals.request({
        action: sendOutreach,
        title: 'Outreach to the Costco buyer',
        draft: { to: 'buyer@example.com', body: 'Great news: our Trailhead line goes into Costco in January.' },
      })
    ).approval.id;
    cleanId = (
      await services.approvals.request({
        action: sendOutreach,
        title: 'Thank-you to Whole Harvest',
        draft: { to: 'sarah.bennett@wholeharvestmarket.com', body: 'Thanks for the call today, samples ship Friday.' },
      })
    ).approval.id;
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot for weekdays at 10:00 with the catalogue window; the pre-filter catches amounts, records, retailers and unreleased products', () => {
    expect(disclosureGuard.schedule).toBe('0 10 * * 1-5');
    expect(jbot.jobs?.map((job) => job.id)).toContain('disclosure-guard');
    expect(disclosureGuardSettings.load({})).toMatchObject({ DISCLOSURE_LOOKAHEAD_HOURS: 72, DISCLOSURE_QUIET_DAYS_BEFORE_QUARTER_END: 14 });
    const options = { retailers: ['Costco'], unreleased: ['Ember Reserve'] };
    expect(preFilter('Sales up 32% — a record quarter', options).map((hit) => hit.rule)).toEqual(['percentage', 'record', 'quarter']);
    expect(preFilter('Meet Ember Reserve, at Costco soon, a $2.4 million order', options).map((hit) => hit.rule)).toEqual([
      'amount',
      'retailer',
      'unreleased_product',
    ]);
    expect(preFilter('Three minutes to a better pour-over', options)).toEqual([]);
  });

  it('in the quiet period: holds the Costco outreach approval, flags the "record quarter" post and the Costco campaign, asks IR/legal to release; the clean thank-you goes through', async () => {
    anthropic.respondWith((request) => {
      const keys = [...JSON.stringify(request.messages).matchAll(/<data label=\\"([a-z]+:[^ ]+) \(rules/g)].map((match) => match[1] ?? '');
      return {
        text: JSON.stringify({ items: keys.map((key) => ({ key, material: true, reason: 'names a result or an unannounced retailer before earnings' })) }),
      };
    });
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const result = await runJbotJob<{ outcome: string; fingerprint: string; detail: { held: string[] } }>(disclosureGuard, { db, runId: 'guard-1', llm });
    fingerprint = result.fingerprint;
    expect(result.outcome).toBe('3 drafts flagged (1 approval held), posted');
    expect(result.detail.held.sort()).toEqual([`approval:${heldId}`, 'klaviyo:klaviyo-th-outreach-1202', 'social:post-dw-ig-1203']);
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm.models.fast);

    const signals = await sql<Array<{ severity: string; payload: { approval_id: string | null; rule: string; item?: string } }>>`
      select severity::text, payload from bot_signals where signal_type = 'disclosure_hold' order by seq`;
    expect(signals.map((signal) => signal.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(signals.find((signal) => signal.payload.approval_id === heldId)?.payload.rule).toBe('retailer');
    expect(signals.find((signal) => signal.payload.item === 'social:post-dw-ig-1203')?.payload.rule).toBe('record, quarter');

    const [hold] = await db.rpc<{ rule: string; released_at: string | null }>('approval_hold_of', { p_approval_id: heldId });
    expect(hold).toMatchObject({ rule: 'retailer', released_at: null });
    expect(await db.rpc('approval_hold_of', { p_approval_id: cleanId })).toEqual([]);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'Disclosure guard: 3 drafts held%'`;
    expect(post?.text).toContain('approval on hold; IR/legal can release it');
    expect(post?.text).toContain('scheduled outside the approval flow (social:post-dw-ig-1203): unschedule it there');

    // The same candidates tomorrow: no model call, no second hold or release request.
    const again = await runJbotJob<{ outcome: string }>(disclosureGuard, { db, runId: 'guard-2', llm, lastFingerprint: fingerprint });
    expect(again.outcome).toBe('unchanged, model skipped');
    expect(anthropic.requests).toHaveLength(1);
    expect((await sql`select 1 from approvals where action = 'release_disclosure_hold'`).length).toBe(1);
  });

  it("the operator's reply to a hold line says what was held, until when, and which approval IR/legal can release it with", async () => {
    const [hold] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'disclosure_hold' and payload->>'approval_id' = ${heldId}`;
    const [release] = await sql<Array<{ id: string }>>`select id from approvals where action = 'release_disclosure_hold'`;
    const context = buildBotServices(jbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const answer = await answerJbotInstruction(
      {
        text: 'release it',
        operatorMessageId: 'm1',
        signalId: hold?.id ?? null,
        approvalId: null,
        instructionSignalId: 'i1',
        channel: 'telegram',
        senderId: '1',
      },
      context,
    );
    expect(answer).toContain(`approval ${heldId} is on hold; IR/legal can release it with approval ${release?.id} (release_disclosure_hold, now pending)`);
    expect(answer).toContain('A reply cannot release it');
  });

  it('a held approval, approved, is not claimed by its bot until IR/legal releases it; a release by someone outside the group fails and keeps the hold', async () => {
    for (const id of [heldId, cleanId]) await decideApproval(db, { approvalId: id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
    const claimed = await db.rpc<{ approval_id: string }>('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'test', p_lease_seconds: 60 });
    expect(claimed.map((row) => row.approval_id)).toEqual([cleanId]);

    const [release] = await sql<Array<{ id: string }>>`select id from approvals where action = 'release_disclosure_hold'`;
    const releaseId = release?.id ?? '';
    const services = buildBotServices(jbot, { db, log: silent, host: 'test-host' });
    const context = services.context(new AbortController().signal, silent);
    const env = { FLEET_TZ: 'UTC', JBOT_DISCLOSURE_APPROVERS: 'ir-lead' };
    const draft = releaseDisclosureHold.draft.parse((await getApproval(db, releaseId))?.draft);
    await expect(
      releaseDisclosureHold.execute(
        draft,
        { ...context, config: { ...loadJbotConfig(env) }, connectors: createConnectors({ db }), approvalId: releaseId, idempotencyKey: 'k' },
        {
          decidedBy: 'ana',
        } as never,
      ),
    ).rejects.toBeInstanceOf(DisclosureApproverError);
    expect((await db.rpc<{ released_at: unknown }>('approval_hold_of', { p_approval_id: heldId }))[0]?.released_at).toBeNull();

    const running = await startBot(createJbot({ env }), {
      db,
      config: testBotConfig(),
      log: silent,
      extensions: { connectors: createConnectors({ db }) },
      approvals: { pollMs: 200 },
    });
    try {
      await decideApproval(db, { approvalId: releaseId, decision: 'approved', decidedBy: 'ir-lead', decidedVia: 'discord' });
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, releaseId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'release_disclosure_hold to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await running.stop();
    }
    const [hold] = await db.rpc<{ released_by: string }>('approval_hold_of', { p_approval_id: heldId });
    expect(hold?.released_by).toBe('ir-lead');
    const now = await db.rpc<{ approval_id: string }>('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'test', p_lease_seconds: 60 });
    expect(now.map((row) => row.approval_id)).toEqual([heldId]);
  });

  it('outside a quiet period nothing is checked and the model is not called', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    try {
      await loadSampleCompany(otherDb, { data: noQuietPeriod() });
      const before = anthropic.requests.length;
      const result = await runJbotJob<{ outcome: string; detail: { status: string } }>(disclosureGuard, {
        db: otherDb,
        runId: 'guard-calm',
        manual: true,
        llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
      });
      expect(result).toMatchObject({ outcome: 'nothing to report', detail: { status: 'no_quiet_period' } });
      expect(anthropic.requests.length).toBe(before);
      expect(await otherDb.rpc('list_signals', { p_signal_type: 'disclosure_hold' })).toEqual([]);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
