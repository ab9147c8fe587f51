import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  catalogSignalTypes,
  createPostgresDb,
  decideApproval,
  defineAction,
  defineBot,
  defineSignalType,
  SignalRegistry,
  getApproval,
  startBot,
  type Approval,
  type BotContext,
  type BotDefinition,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { freshDatabase, startFakeDiscord, waitFor, type FakeDiscord, type FakeDiscordMessage, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createChannel } from '../src/index.js';

const silent = pino({ level: 'silent' });
const SALES_CHANNEL = '100000000000000001';
const OPS_CHANNEL = '100000000000000002';
const APPROVER = '200000000000000001';
const APPROVER_ROLE = '300000000000000001';
const ROLE_HOLDER = '200000000000000002';
const STRANGER = '200000000000000009';
const EPHEMERAL = 64;

const botConfig = testBotConfig();

// discord.js, unmodified, against the testkit's local Discord; real Postgres underneath.
// opsbot's freight_delay as the roster registers it in every process (channels cannot depend on a bot).
const freightDelay = defineSignalType({
  type: 'freight_delay',
  description: 'An inbound shipment is late against its promised ETA',
  defaultSeverity: 'alert',
  schema: z.object({ shipment_id: z.string(), delay_days: z.number(), origin: z.string().optional() }),
});
const registry = new SignalRegistry([...catalogSignalTypes, freightDelay]);

describe('Discord work floor and approvals', () => {
  let database: TestDatabase;
  let db: Db;
  let discord: FakeDiscord;
  let env: Record<string, string>;
  const running: RunningBot[] = [];
  /** approval id → how many times an executor started for it. */
  const executions = new Map<string, number>();

  const salesbot = (contexts: BotContext[] = []) =>
    defineBot({
      name: 'salesbot',
      purpose: 'test',
      channel: '#sales-bot',
      actions: [
        defineAction({
          name: 'send_followups',
          draft: z.object({ emails: z.array(z.unknown()) }),
          execute: async (draft, context, approval: Approval) => {
            executions.set(approval.id, (executions.get(approval.id) ?? 0) + 1);
            expect(context.idempotencyKey).toBe(approval.idempotencyKey);
            return { summary: `sent ${draft.emails.length} follow-up emails` };
          },
        }),
      ],
      onStart: (context) => void contexts.push(context),
    });

  async function start(definition: BotDefinition): Promise<RunningBot> {
    const channel = await createChannel({ db, bot: definition.name, log: silent, env });
    const bot = await startBot(definition, { db, config: botConfig, log: silent, channel, registry, approvals: { pollMs: 100 } });
    running.push(bot);
    return bot;
  }

  async function stop(bot: RunningBot): Promise<void> {
    running.splice(running.indexOf(bot), 1);
    await bot.stop();
  }

  async function requestFollowUps(context: BotContext, options: { expiresIn?: number } = {}): Promise<{ approval: Approval; message: FakeDiscordMessage }> {
    const { approval } = await context.approvals.request({
      action: 'send_followups',
      title: 'Send 2 follow-up emails to stale wholesale deals',
      draft: {
        emails: [
          { to: 'buyer@cedar.example', subject: 'Checking in' },
          { to: 'ops@birch.example', subject: 'Next steps' },
        ],
        note: 'Drafted from the stale_deals signal',
      },
      ...options,
    });
    const [row] = await db.rpc<{ external_message_id: string }>('approval_messages', { p_approval_id: approval.id });
    const message = discord.message(row?.external_message_id ?? '');
    if (message === undefined) throw new Error('the approval was not posted to Discord');
    return { approval, message };
  }

  const customId = (approval: Approval, button: 'approve' | 'reject') => `approval:salesbot:${approval.id}:${button}`;
  const statusField = (message: FakeDiscordMessage | undefined) =>
    String(((message?.embeds[0]?.['fields'] as Array<{ name: string; value: string }> | undefined) ?? []).find((field) => field.name === 'Status')?.value);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    discord = await startFakeDiscord();
    env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_CHANNEL_SALESBOT: SALES_CHANNEL,
      DISCORD_CHANNEL_OPSBOT: OPS_CHANNEL,
      DISCORD_APPROVER_USER_IDS: APPROVER,
      DISCORD_APPROVER_ROLE_IDS: APPROVER_ROLE,
    };
  });
  afterEach(async () => {
    for (const bot of [...running]) await stop(bot);
  });
  afterAll(async () => {
    await discord.close();
    await db.close();
    await database.drop();
  });

  it("posts a signal's detail to the source bot's own channel as a readable embed", async () => {
    const contexts: BotContext[] = [];
    await start(defineBot({ name: 'opsbot', purpose: 'test', channel: '#ops-bot', onStart: (context) => void contexts.push(context) }));
    const [ops] = contexts;
    const emitted = await ops!.signals.emit('freight_delay', { shipment_id: 'SHKGH0525145', delay_days: 21, origin: 'Shenzhen' });
    const [posted] = discord.channelMessages(OPS_CHANNEL);
    expect(discord.channelMessages(SALES_CHANNEL)).toHaveLength(0);
    expect(posted?.embeds[0]).toMatchObject({ title: 'ALERT · Freight delay' });
    expect(posted?.embeds[0]?.['fields']).toEqual(
      expect.arrayContaining([
        { name: 'Shipment id', value: 'SHKGH0525145', inline: true },
        { name: 'Delay days', value: '21', inline: true },
      ]),
    );
    const [logged] = await db.rpc<{ channel: string; target: string; signal_id: string; external_message_id: string }>('list_channel_messages', {
      p_channel: 'discord',
      p_bot: 'opsbot',
    });
    expect(logged).toMatchObject({ target: OPS_CHANNEL, signal_id: emitted.id, external_message_id: posted?.id });
  });

  it('splits content longer than one embed and logs every part', async () => {
    const contexts: BotContext[] = [];
    await start(defineBot({ name: 'opsbot', purpose: 'test', channel: '#ops-bot', onStart: (context) => void contexts.push(context) }));
    const before = discord.channelMessages(OPS_CHANNEL).length;
    const paragraph = 'Shipment SHKGH0525145 is late; the forwarder reports congestion at Yantian and a rolled vessel. '.repeat(40);
    await contexts[0]!.channel.post({ title: 'Weekly freight report', text: Array.from({ length: 8 }, () => paragraph).join('\n\n') });
    const parts = discord.channelMessages(OPS_CHANNEL).slice(before);
    const embeds = parts.flatMap((message) => message.embeds);
    expect(parts.length).toBeGreaterThan(1);
    for (const embed of embeds) expect(String(embed['description']).length).toBeLessThanOrEqual(4096);
    expect(embeds.map((embed) => String(embed['description'])).join(' ')).toContain('rolled vessel');
    const logged = await db.rpc('list_channel_messages', { p_channel: 'discord', p_bot: 'opsbot' });
    expect(logged.length).toBe(before + parts.length);
  });

  it('an approval request renders Approve and Reject buttons; a non-approver is refused privately and nothing changes', async () => {
    const contexts: BotContext[] = [];
    await start(salesbot(contexts));
    const { approval, message } = await requestFollowUps(contexts[0]!);
    expect(message.channel_id).toBe(SALES_CHANNEL);
    expect(message.embeds[0]).toMatchObject({ title: 'Approval needed · Send 2 follow-up emails to stale wholesale deals' });
    const buttons = (message.components[0]?.['components'] as Array<Record<string, unknown>>).map((button) => ({
      label: button['label'],
      custom_id: button['custom_id'],
    }));
    expect(buttons).toEqual([
      { label: 'Approve', custom_id: customId(approval, 'approve') },
      { label: 'Reject', custom_id: customId(approval, 'reject') },
    ]);

    const click = discord.click({ messageId: message.id, customId: customId(approval, 'approve'), userId: STRANGER, username: 'mallory' });
    const response = await waitFor(() => discord.response(click)?.callback, { what: 'the refusal' });
    expect(response.type).toBe(4);
    expect(response.data).toMatchObject({ flags: EPHEMERAL });
    expect(String(response.data?.['content'])).toMatch(/not on the approver list/);
    expect((await getApproval(db, approval.id))?.status).toBe('pending');
    expect(discord.message(message.id)?.editCount).toBe(0);
    expect(executions.get(approval.id)).toBeUndefined();
  });

  it('double Approve (a user and a role holder) executes once; the message shows who decided, then the result', async () => {
    const contexts: BotContext[] = [];
    await start(salesbot(contexts));
    const { approval, message } = await requestFollowUps(contexts[0]!);
    const first = discord.click({ messageId: message.id, customId: customId(approval, 'approve'), userId: APPROVER, username: 'ana' });
    const second = discord.click({
      messageId: message.id,
      customId: customId(approval, 'approve'),
      userId: ROLE_HOLDER,
      username: 'ben',
      roleIds: [APPROVER_ROLE],
    });
    await waitFor(async () => (await getApproval(db, approval.id))?.status === 'executed', { what: 'the approval to be executed' });
    const responses = await waitFor(
      () => {
        const both = [discord.response(first), discord.response(second)];
        return both.every((response) => response?.callback?.type === 6) && both.some((response) => (response?.followUps.length ?? 0) > 0) ? both : null;
      },
      { what: 'both clicks acknowledged' },
    );
    // Both were acknowledged with deferUpdate; the later one was told privately that it changed nothing.
    const loser = responses.find((response) => (response?.followUps.length ?? 0) > 0);
    expect(loser?.followUps[0]).toMatchObject({ flags: EPHEMERAL });
    expect(String(loser?.followUps[0]?.['content'])).toMatch(/Nothing changed: already approved by discord:/);
    expect(executions.get(approval.id)).toBe(1);
    const stored = await getApproval(db, approval.id);
    expect(stored).toMatchObject({ status: 'executed', attempts: 1, result: { summary: 'sent 2 follow-up emails' } });
    await waitFor(() => statusField(discord.message(message.id)).includes('sent 2 follow-up emails'), { what: 'the message to show the result' });
    const edited = discord.message(message.id);
    expect(edited?.embeds[0]?.['title']).toBe('Done · Send 2 follow-up emails to stale wholesale deals');
    expect(statusField(edited)).toContain(`Approved by ${stored?.decidedBy}`);
    expect(edited?.components).toEqual([]);
  });

  it('Approve while the owning bot is stopped executes once after it starts, and the message catches up', async () => {
    const contexts: BotContext[] = [];
    const first = await start(salesbot(contexts));
    const { approval, message } = await requestFollowUps(contexts[0]!);
    await stop(first);
    // Decided elsewhere (Telegram, `fleet approve`) while salesbot is down.
    const decision = await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'telegram:42', decidedVia: 'telegram' });
    expect(decision.decided).toBe(true);
    expect(executions.get(approval.id)).toBeUndefined();
    await start(salesbot());
    await waitFor(async () => (await getApproval(db, approval.id))?.status === 'executed', { what: 'execution after start' });
    await waitFor(() => statusField(discord.message(message.id)).includes('sent 2'), { what: 'the message to catch up' });
    expect(executions.get(approval.id)).toBe(1);
    expect(statusField(discord.message(message.id))).toContain('Approved by telegram:42');
  });

  it('two copies of the owning bot on one token: every click answered once, every approval executed once', async () => {
    const contexts: BotContext[] = [];
    await start(salesbot(contexts));
    await start(salesbot(contexts));
    await waitFor(() => discord.readySessions() >= 2, { what: 'two gateway sessions' });
    const requested = await Promise.all(Array.from({ length: 4 }, () => requestFollowUps(contexts[0]!)));
    const clicks = requested.map(({ approval, message }) =>
      discord.click({ messageId: message.id, customId: customId(approval, 'approve'), userId: APPROVER, username: 'ana' }),
    );
    for (const { approval } of requested)
      await waitFor(async () => (await getApproval(db, approval.id))?.status === 'executed', { what: `approval ${approval.id} executed` });
    for (const { approval } of requested) expect(executions.get(approval.id)).toBe(1);
    // Both copies saw each click; one acknowledged it, the other was told it was already answered.
    for (const click of clicks) {
      const response = await waitFor(() => (discord.response(click)?.refusedCallbacks === 1 ? discord.response(click) : null), {
        what: 'the second copy to stand down',
      });
      expect(response.callback?.type).toBe(6);
      expect(response.followUps).toEqual([]);
    }
  });

  it('expiry: status expired, message says so, a late Approve changes nothing', async () => {
    const contexts: BotContext[] = [];
    await start(salesbot(contexts));
    const { approval, message } = await requestFollowUps(contexts[0]!, { expiresIn: 1000 });
    await waitFor(async () => (await getApproval(db, approval.id))?.status === 'expired', { what: 'the approval to expire' });
    await waitFor(() => String(discord.message(message.id)?.embeds[0]?.['title']).startsWith('Expired'), { what: 'the message to say it expired' });
    expect(discord.message(message.id)?.components).toEqual([]);
    expect(statusField(discord.message(message.id))).toMatch(/no decision · nothing was done/);
    const late = discord.click({ messageId: message.id, customId: customId(approval, 'approve'), userId: APPROVER, username: 'ana' });
    const response = await waitFor(() => ((discord.response(late)?.followUps.length ?? 0) > 0 ? discord.response(late) : null), {
      what: 'the late click answer',
    });
    expect(response.followUps[0]).toMatchObject({ flags: EPHEMERAL });
    expect(String(response.followUps[0]?.['content'])).toMatch(/expired/);
    expect((await getApproval(db, approval.id))?.status).toBe('expired');
    expect(executions.get(approval.id)).toBeUndefined();
  });
  it("a failed approval shows a Retry button; an approver's Retry runs it again, a stranger's changes nothing", async () => {
    const contexts: BotContext[] = [];
    const sent: string[] = [];
    let vendorDown = true;
    await start(
      defineBot({
        name: 'salesbot',
        purpose: 'test',
        channel: '#sales-bot',
        actions: [
          defineAction({
            name: 'send_followups',
            draft: z.object({ emails: z.array(z.unknown()) }),
            execute: (_draft, _context, approval: Approval) => {
              if (vendorDown) throw new Error('HubSpot email create failed with HTTP 503');
              sent.push(approval.id);
              return { summary: 'sent 2 follow-up emails' };
            },
          }),
        ],
        onStart: (context) => void contexts.push(context),
      }),
    );
    const { approval, message } = await requestFollowUps(contexts[0]!);
    discord.click({ messageId: message.id, customId: customId(approval, 'approve'), userId: APPROVER, username: 'ana' });
    await waitFor(() => String(discord.message(message.id)?.embeds[0]?.['title']).startsWith('Failed'), { what: 'the message to show the failure' });
    const failed = discord.message(message.id);
    expect(statusField(failed)).toContain('execution failed: HubSpot email create failed with HTTP 503');
    const retryButton = `approval:salesbot:${approval.id}:retry`;
    expect(
      (failed?.components[0] as { components: Array<{ custom_id: string; label: string }> }).components.map((button) => [button.label, button.custom_id]),
    ).toEqual([['Retry', retryButton]]);

    const refused = discord.click({ messageId: message.id, customId: retryButton, userId: STRANGER, username: 'mallory' });
    expect(await waitFor(() => discord.response(refused)?.callback, { what: 'the refusal' })).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect((await getApproval(db, approval.id))?.status).toBe('failed');

    vendorDown = false;
    discord.click({ messageId: message.id, customId: retryButton, userId: APPROVER, username: 'ana' });
    await waitFor(() => statusField(discord.message(message.id)).includes('sent 2 follow-up emails'), { what: 'the retried approval to show its result' });
    expect(sent).toEqual([approval.id]);
    expect(await getApproval(db, approval.id)).toMatchObject({ status: 'executed', attempts: 1 });
    expect(discord.message(message.id)?.components).toEqual([]);
  });
});
