import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { z } from 'zod';
import {
  ApprovalWorker,
  buildBotServices,
  createLocalRecordingChannel,
  createPostgresDb,
  decideApproval,
  defineAction,
  getApproval,
  type Channel,
  type Db,
} from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });

// A decision can land before the requester's first post of the approval is recorded (an operator
// quick on Telegram, the bench's auto-approver). The worker then saw "approved", found no message
// yet, and posted a second one beside the requester's: one approval, two messages on the channel.
describe('an approval decided while its first post is in flight', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('is posted once and then edited, not posted twice', async () => {
    const recording = createLocalRecordingChannel({ db, bot: 'contentbot', target: '#content-bot', log: silent, show: () => {} });
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let held = true;
    // The channel's first post takes a while (a slow Discord answer); everything else is immediate.
    const slow: Channel = {
      ...recording,
      post: async (message) => {
        if (held) await gate;
        return recording.post(message);
      },
      edit: (posted, message) => recording.edit(posted, message),
    };
    const actions = [defineAction({ name: 'update_product_seo', draft: z.unknown(), execute: () => ({ summary: 'updated' }) })];
    const services = buildBotServices({ name: 'contentbot', actions }, { db, log: silent, host: 'test', channel: slow });
    const worker = new ApprovalWorker({
      db,
      bot: 'contentbot',
      channel: slow,
      executors: { update_product_seo: () => ({ summary: 'updated' }) },
      context: services.context,
      log: silent,
      pollMs: 50,
      leaseMs: 60_000,
      listen: false,
    });
    await worker.start();
    try {
      const requested = services.approvals.request({ action: 'update_product_seo', title: 'Fix 6 missing meta descriptions', draft: { pages: 6 } });
      const approvalId = await waitFor(async () => (await db.rpc<{ approval_id: string }>('list_approvals', { p_bot: 'contentbot' }))[0]?.approval_id, {
        what: 'the approval in the brain',
      });
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'cli:ana' })).decided).toBe(true);
      await waitFor(async () => (await getApproval(db, approvalId))?.status === 'executed', { what: 'the approval to execute' });
      // The worker has had many passes while the first post waited; now the post lands.
      held = false;
      openGate();
      await requested;
      await waitFor(async () => (await getApproval(db, approvalId))?.renderedStatus === 'executed', { what: 'the message to show it executed' });
      const messages = await db.rpc<{ message_id: string }>('approval_messages', { p_approval_id: approvalId });
      expect(messages).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
