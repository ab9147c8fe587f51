import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createChannel, createLocalChannel } from '@jbot/channels';
import { createPostgresDb, defineAction, defineBot, getApproval, startBot, type Approval, type BotContext, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';
import { approvalsCommand } from '../src/commands/approvals.js';
import { approveCommand } from '../src/commands/approve.js';
import { rejectCommand } from '../src/commands/reject.js';

const silent = pino({ level: 'silent' });

// No Discord token: the local channel stores and prints; the CLI is the approver.
describe('fleet approvals / approve / reject on the local channel', () => {
  let database: TestDatabase;
  let db: Db;
  let salesbot: RunningBot;
  const printed: string[] = [];
  const executed: string[] = [];
  const contexts: BotContext[] = [];

  const run = async (command: typeof approveCommand, argv: string[]) => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', USER: 'ana' },
    };
    const code = await command.run(argv, io);
    return { code, text: lines.join('\n') };
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    const definition = defineBot({
      name: 'salesbot',
      purpose: 'test',
      channel: '#sales-bot',
      actions: [
        defineAction({
          name: 'send_followups',
          draft: z.unknown(),
          execute: (_draft, _context, approval: Approval) => {
            executed.push(approval.id);
            return 'sent 1 email';
          },
        }),
      ],
      onStart: (context) => void contexts.push(context),
    });
    salesbot = await startBot(definition, {
      db,
      log: silent,
      channel: createLocalChannel({ db, bot: 'salesbot', target: '#sales-bot', log: silent, output: { write: (text: string) => printed.push(text) } }),
      approvals: { pollMs: 100 },
      config: {
        hostId: 'test',
        signals: { pollMs: 100, leaseMs: 5000, maxAttempts: 3, concurrency: 4 },
        heartbeatIntervalMs: 10_000,
        shutdownGraceMs: 1000,
        timeZone: 'UTC',
      },
    });
  });
  afterAll(async () => {
    await salesbot.stop();
    await db.close();
    await database.drop();
  });

  it('without DISCORD_TOKEN a bot gets the local channel', async () => {
    const channel = await createChannel({ db, bot: 'salesbot', log: silent, name: '#sales-bot', env: {} });
    expect(channel.kind).toBe('local');
    expect(channel.target).toBe('#sales-bot');
  });

  it('prints the request readably, lists it, approves it by prefix; the bot executes once; a repeat changes nothing', async () => {
    const { approval } = await contexts[0]!.approvals.request({
      action: 'send_followups',
      title: 'Email Cedar & Co',
      draft: { to: 'buyer@cedar.example', body: 'Hi — checking in on the spring order.\nBest, Sales' },
    });
    expect(printed.join('')).toContain(`pnpm fleet approve ${approval.id.slice(0, 8)}    |    pnpm fleet reject ${approval.id.slice(0, 8)}`);
    expect(printed.join('')).toContain('Hi — checking in on the spring order.');
    const [logged] = await db.rpc<{ channel: string; target: string; approval_id: string }>('list_channel_messages', { p_channel: 'local', p_bot: 'salesbot' });
    expect(logged).toMatchObject({ channel: 'local', target: '#sales-bot', approval_id: approval.id });

    const listed = await run(approvalsCommand, []);
    expect(listed.code).toBe(0);
    expect(listed.text).toContain(approval.id.slice(0, 8));
    expect(listed.text).not.toContain(approval.id);
    expect(listed.text).toContain('Email Cedar & Co');

    const approved = await run(approveCommand, [approval.id.slice(0, 8)]);
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.text).toContain('Approved: Email Cedar & Co');
    await waitFor(async () => (await getApproval(db, approval.id))?.status === 'executed', { what: 'execution' });
    expect(executed.filter((id) => id === approval.id)).toHaveLength(1);
    expect((await getApproval(db, approval.id))?.decidedBy).toBe('cli:ana');
    await waitFor(
      () =>
        printed.some(
          (block) =>
            block.startsWith(`── #sales-bot · salesbot · approval ${approval.id.slice(0, 8)}: Done · Email Cedar & Co — `) &&
            block.includes('sent 1 email') &&
            block.trimEnd().split('\n').length === 1,
        ),
      { what: 'the edited message' },
    );

    const again = await run(approveCommand, [approval.id]);
    expect(again.code).toBe(1);
    expect(again.text).toContain('Nothing changed: already approved by cli:ana');
  });

  it('reject: nothing is executed and the message says who rejected', async () => {
    const { approval } = await contexts[0]!.approvals.request({ action: 'send_followups', title: 'Email Birch Ltd', draft: { to: 'ops@birch.example' } });
    const rejected = await run(rejectCommand, [approval.id]);
    expect(rejected.code).toBe(0);
    await waitFor(() => printed.some((block) => block.includes('Rejected · Email Birch Ltd') && block.includes('Rejected by cli:ana')), {
      what: 'the rejection shown',
    });
    expect((await getApproval(db, approval.id))?.status).toBe('rejected');
    expect(executed).not.toContain(approval.id);
    const late = await run(approveCommand, [approval.id]);
    expect(late).toMatchObject({ code: 1 });
    expect(late.text).toContain('already rejected by cli:ana');
  });
});
