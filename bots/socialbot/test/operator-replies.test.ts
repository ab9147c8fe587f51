import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, getApproval, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { socialbot } from '../src/bot.js';
import { answerOperator, communityInbox } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

const instruction = (text: string, signalId: string): OperatorInstruction => ({
  text,
  operatorMessageId: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
  signalId,
  approvalId: null,
  instructionSignalId: signalId,
  channel: 'local',
  senderId: 'operator',
});

// The operator's reply to each warning-or-higher signal does something (design §8 point 9).
describe('operator replies to socialbot escalations', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const contextOf = (bot: typeof socialbot) => ({
    ...buildBotServices(bot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent),
    connectors: createConnectors({ db, env: {} }),
  });

  it('a sentiment spike: explained, and "reply" drafts apologies for approval (once)', async () => {
    await runJob(socialbot, communityInbox, db, { runId: 'replies-inbox' });
    const [spike] = await db.rpc('list_signals', { p_signal_type: 'social_sentiment_spike', p_limit: 1 });
    const signalId = String(spike?.['signal_id'] ?? spike?.['id']);
    expect(await answerOperator(instruction('what happened?', signalId), contextOf(socialbot))).toMatch(
      /7 negative comments in 60 min on instagram post SP-091, most about "wax smell"/,
    );
    const answer = await answerOperator(instruction('reply to them please', signalId), contextOf(socialbot));
    expect(answer).toMatch(/^drafted 7 apology replies on SP-091/);
    const again = await answerOperator(instruction('reply', signalId), contextOf(socialbot));
    expect(again).toMatch(/^already drafted/);
    const [row] = await db.rpc('list_approvals', { p_status: 'pending', p_bot: 'socialbot', p_limit: 50 });
    const approval = await getApproval(db, String(row?.['approval_id'] ?? row?.['id']));
    expect(approval?.action).toBe('send_social_replies');
  });
});
