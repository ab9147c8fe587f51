import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { answerOperator, commitRisk, discountGuard, sendFollowUps } from '../src/index.js';
import { approveAndWait, runSalesJob } from './sales-job-harness.js';

const silent = pino({ level: 'silent' });

// The operator's replies to the activity jobs' warnings: each does something (drafts, prices, points, explains).
describe('salesbot: replies to commit_at_risk and margin_exception', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let commitSignal: string;
  let marginSignal: string;
  let replies = 0;
  const reply = async (text: string, signalId: string | null) => {
    replies += 1;
    const instruction: OperatorInstruction = {
      text,
      operatorMessageId: `message-${replies}`,
      signalId,
      approvalId: null,
      instructionSignalId: `instruction-${replies}`,
      channel: 'telegram',
      senderId: '4242',
    };
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    return answerOperator(instruction, { ...context, connectors: createConnectors({ db, env: {} }) });
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    commitSignal = String((await runSalesJob(db, commitRisk, { runId: 'commit-1' })).detail['signalId']);
    marginSignal = (((await runSalesJob(db, discountGuard, { runId: 'pricing-1' })).detail['signals'] as string[]) ?? [])[0] ?? '';
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('explains a commit-at-risk line and offers the follow-ups', async () => {
    const answer = await reply('what is this?', commitSignal);
    expect(answer).toContain('$49,100 of the $64,100 commit (77%) is going quiet');
    expect(answer).toContain('Fieldstone Market — Holiday program (Saltmarsh Apothecary) ($18,000, 12 days idle, Maya Okafor)');
    expect(answer).toContain('Reply "follow up"');
  });

  it('"follow up" drafts one email per quiet deal into one send_followups approval, once; approving sends them and marks the deals re-engaged', async () => {
    const answer = await reply('follow up on all three please', commitSignal);
    const approvalId = /approval ([0-9a-f-]{36})/.exec(answer)?.[1] ?? '';
    expect(answer).toMatch(/^drafted 3 follow-up emails — approval/);
    const approval = await getApproval(db, approvalId);
    expect(approval).toMatchObject({ action: 'send_followups', status: 'pending', signalId: commitSignal });
    expect(
      sendFollowUps.draft
        .parse(approval?.draft)
        .emails.map((email) => email.deal_id)
        .sort(),
    ).toEqual(['18200340260', '18200340468', '18200340533']);
    expect(await reply('follow up', commitSignal)).toBe(`already drafted — approval ${approvalId} is pending in #salesbot`);
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const updated = await sql<Array<{ id: string; properties: Record<string, string> }>>`
      select id, properties from sample_deals where id in ('18200340260', '18200340468', '18200340533') order by id`;
    expect(updated.map((deal) => deal.properties['jbot_status'])).toEqual(['re-engaged', 're-engaged', 're-engaged']);
  });

  it('answers a margin exception with the floor prices and the uplift, points to the pending sign-off, or explains', async () => {
    const floor = await reply('what is the floor?', marginSignal);
    expect(floor).toMatch(
      /^Fieldstone Market — Holiday program \(Saltmarsh Apothecary\) at the floor: SM-107 \$5\.17 \(now \$4\.32, list \$6\) — \$1,055\.7 more on the deal/,
    );
    const approve = await reply('ok approve it', marginSignal);
    expect(approve).toMatch(
      /^approve "CFO group: sign off pricing on Fieldstone Market .*" \(approval [0-9a-f]{8}\) with its button in #salesbot or on Telegram: it needs the CFO group/,
    );
    const explain = await reply('?', marginSignal);
    expect(explain).toContain('is priced below the floor: SM-107 at $4.32 (28% off list), lowest margin 22.2%');
  });

  it('a reply that answers no activity signal still reaches the Monday follow-up flow', async () => {
    expect(await reply('draft follow-ups', null)).toBe('tell me which deals: reply to a stale-deals alert (e.g. "follow up on both, draft emails")');
  });
});
