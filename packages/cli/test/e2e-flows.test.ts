import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_NAMES } from '@jbot/fleet';
import { createPostgresDb, repositoryRoot, type Db } from '@jbot/core';
import { hubspotObjectsFromSample, loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import {
  freshDatabase,
  startFakeDiscord,
  startFakeHubSpot,
  startTelegramEmulator,
  waitFor,
  type FakeDiscord,
  type FakeHubSpot,
  type TelegramEmulator,
  type TestDatabase,
} from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const OPERATOR = 4242;
const APPROVER = '200000000000000001';
const SECOND_APPROVER = '200000000000000002';
const channelId = (bot: string) => `1000000000000000${String(BOT_NAMES.indexOf(bot as never)).padStart(2, '0')}`;

// The Monday stale-deal flow across the real fleet: ten bot processes under `fleet start` on one
// embedded Postgres; Telegram through the telegram-test-api emulator, Discord through the
// testkit's local Discord, HubSpot through the fake at HUBSPOT_API_BASE. Nothing of ours is stubbed.
describe('end to end across ten processes: the Monday stale-deal flow and the freight cascade', () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;
  let discord: FakeDiscord;
  let telegram: TelegramEmulator;
  let supervisor: ChildProcess | undefined;
  let output = '';
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-e2e-'));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    discord = await startFakeDiscord();
    telegram = await startTelegramEmulator();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      // Its own data directory: one supervisor per data directory, and a developer's `pnpm start` may hold the checkout's.
      FLEET_DATA_DIR: dataDirectory,
      FLEET_HOST_ID: 'e2e-host',
      FLEET_TZ: 'UTC',
      HEARTBEAT_INTERVAL_MS: '1000',
      SIGNAL_POLL_MS: '200',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
      TELEGRAM_QUIET_HOURS: '',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_APPROVER_USER_IDS: `${APPROVER},${SECOND_APPROVER}`,
      HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
      HUBSPOT_API_BASE: hubspot.url,
      ...Object.fromEntries(BOT_NAMES.map((bot) => [`DISCORD_CHANNEL_${bot.toUpperCase()}`, channelId(bot)])),
    };
    delete env['ANTHROPIC_API_KEY'];
    supervisor = spawn(process.execPath, ['--import', 'tsx', cli, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    supervisor.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(async () => (await db.rpc<{ status: string }>('fleet_heartbeats')).filter((row) => row.status === 'running').length === BOT_NAMES.length, {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: `ten running heartbeats (supervisor output so far:\n${output.slice(-2000)})`,
    });
    await waitFor(() => discord.readySessions() >= BOT_NAMES.length, { timeoutMs: 30_000, what: 'every bot on the Discord gateway' });
  }, 150_000);

  afterAll(async () => {
    if (supervisor !== undefined && supervisor.exitCode === null) {
      const exited = new Promise((resolve) => supervisor?.once('exit', resolve));
      supervisor.kill('SIGINT');
      await exited;
    }
    await telegram?.close();
    await discord?.close();
    await hubspot?.close();
    await db?.close();
    await database?.drop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('sync → Telegram line → operator reply → drafts on Discord → Approve (twice) → 2 emails and 2 deal updates at HubSpot, once each', async () => {
    await db.rpc('request_manual_run', { p_bot: 'salesbot', p_job: 'hubspot-sync', p_requested_by: 'e2e' });

    // salesbot's detail lands in its Discord channel; jbot sends the operator one line.
    const [signal] = await waitFor(
      async () => {
        const rows = await db.rpc<{ signal_id: string }>('list_signals', { p_signal_type: 'stale_deals' });
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 30_000, what: 'the stale_deals signal' },
    );
    const detail = await waitFor(
      () => discord.channelMessages(channelId('salesbot')).find((message) => JSON.stringify(message.embeds).includes(`signal ${signal?.signal_id}`)),
      { timeoutMs: 20_000, what: "the detail post in salesbot's channel" },
    );
    expect(String(detail.embeds[0]?.['title'])).toBe('WARNING · Stale deals');
    // The escalation line, not the approval offer that comes later ("… follow-up emails to stale wholesale deals").
    const staleLine = /\d+ wholesale deals? stale \(>\d+ days\)/;
    const line = await waitFor(() => telegram.botMessages(OPERATOR).find((message) => staleLine.test(message.text)), {
      timeoutMs: 20_000,
      what: 'the Telegram line',
    });
    expect(telegram.botMessages(OPERATOR).filter((message) => staleLine.test(message.text))).toHaveLength(1);

    // The operator answers from the phone, as a reply to that line.
    // Lines queued within a second share one numbered message: answer ours by its number, as the operator would.
    const numbered = /(?:^|\n)(\d+)\. \S+ \d+ wholesale deals? stale/.exec(line.text);
    await telegram.sendText(OPERATOR, `${numbered === null ? '' : `${numbered[1]} `}Follow up on both, draft emails`, { replyToMessageId: line.messageId });
    // (The acknowledgement may share a Telegram message with the approval offer queued the same second.)
    await waitFor(() => telegram.botMessages(OPERATOR).find((message) => message.text.includes('salesbot: drafted 2 follow-up emails')), {
      timeoutMs: 30_000,
      what: "salesbot's acknowledgement in Telegram",
    });
    // The Telegram offer shows what a tap would send: both recipients (and subjects) by name.
    const offer = await waitFor(() => telegram.botMessages(OPERATOR).find((message) => message.text.includes('salesbot asks: Send 2 follow-up emails')), {
      timeoutMs: 20_000,
      what: 'the approval offer on Telegram',
    });
    const [drafted] = await db.rpc<{ draft: { emails: Array<{ to: string; subject: string }> } }>('list_approvals', {
      p_status: 'pending',
      p_bot: 'salesbot',
      p_limit: 1,
    });
    expect(drafted?.draft.emails).toHaveLength(2);
    for (const email of drafted?.draft.emails ?? []) expect(offer.text).toContain(`to: ${email.to}`);
    for (const email of drafted?.draft.emails ?? []) expect(offer.text).toContain(`subject: ${email.subject}`);

    // The drafts wait for a person on Discord, with Approve and Reject.
    const approvalMessage = await waitFor(() => discord.channelMessages(channelId('salesbot')).find((message) => message.components.length > 0), {
      timeoutMs: 20_000,
      what: 'the approval message with buttons',
    });
    const approveButton = JSON.stringify(approvalMessage.components).match(/"custom_id":"(approval:salesbot:[^"]+:approve)"/)?.[1];
    expect(approveButton).toBeDefined();
    expect(hubspot.emailsCreated()).toHaveLength(0);

    const first = discord.click({ messageId: approvalMessage.id, customId: approveButton ?? '', userId: APPROVER, username: 'ana' });
    const second = discord.click({ messageId: approvalMessage.id, customId: approveButton ?? '', userId: SECOND_APPROVER, username: 'ben' });
    await waitFor(() => (discord.response(first)?.callback !== undefined && discord.response(second)?.callback !== undefined ? true : undefined), {
      timeoutMs: 20_000,
      what: 'both clicks answered',
    });
    await waitFor(() => (hubspot.emailsCreated().length >= 2 && hubspot.dealUpdates().length >= 2 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the emails sent at HubSpot',
    });
    await waitFor(() => (JSON.stringify(discord.message(approvalMessage.id)?.embeds).includes('sent 2 follow-up emails') ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the approval message edited with the result',
    });

    // A click after execution changes nothing either.
    const late = discord.click({ messageId: approvalMessage.id, customId: approveButton ?? '', userId: APPROVER, username: 'ana' });
    await waitFor(() => discord.response(late), { timeoutMs: 20_000, what: 'the late click answered' });
    const [approval] = await db.rpc<{ status: string; decided_by: string; decided_via: string }>('list_approvals', {
      p_status: null,
      p_bot: 'salesbot',
      p_limit: 10,
    });
    expect(approval).toMatchObject({ status: 'executed', decided_via: 'discord' });
    expect(hubspot.emailsCreated()).toHaveLength(2);
    expect(hubspot.dealUpdates()).toHaveLength(2);
    expect(new Set(hubspot.dealUpdates().map((update) => update.objectId)).size).toBe(2);
    expect(signal).toBeDefined();
  }, 180_000);

  it('freight cascade: one freight_delay → shipbot forecast post, two approval requests (salesbot, mktgbot), one Telegram line', async () => {
    // The alert line itself (its severity mark first); the approval offers that follow also name the shipment in their drafts.
    const freightLines = () => telegram.botMessages(OPERATOR).filter((message) => /🟠 Shipment SHKGH0525145 is \d+ days late/.test(message.text));
    await db.rpc('request_manual_run', { p_bot: 'opsbot', p_job: 'freight-watch', p_requested_by: 'e2e' });
    const forecast = await waitFor(
      () =>
        discord.channelMessages(channelId('shipbot')).find((message) => String(message.embeds[0]?.['title']).startsWith('Fulfilment forecast · SHKGH0525145')),
      { timeoutMs: 30_000, what: "shipbot's forecast post" },
    );
    expect(JSON.stringify(forecast.embeds)).toContain('WO-7722');
    const withButtons = (bot: string) =>
      discord
        .channelMessages(channelId(bot))
        .filter((message) => message.components.length > 0 && JSON.stringify(message.components).includes(`approval:${bot}:`));
    const notices = await waitFor(() => withButtons('salesbot').find((message) => String(message.embeds[0]?.['title']).includes('delay notice')), {
      timeoutMs: 30_000,
      what: "salesbot's delay-notice approval",
    });
    const pauses = await waitFor(() => withButtons('mktgbot')[0], { timeoutMs: 30_000, what: "mktgbot's pause approval" });
    expect(String(pauses.embeds[0]?.['title'])).toMatch(/Pause \d+ ad campaigns?/);
    expect(notices).toBeDefined();
    await waitFor(() => (freightLines().length > 0 ? true : undefined), { timeoutMs: 20_000, what: 'the Telegram line about the shipment' });
    // Count once jbot has handled the signal and its Telegram outbox is drained.
    await waitFor(
      async () => {
        const [freight] = await db.rpc<{ receipts: Array<{ consumer: string; status: string }> }>('list_signals', {
          p_signal_type: 'freight_delay',
          p_limit: 1,
        });
        const [outbox] = await db.rpc<{ next_at: string | null }>('next_telegram_send_at');
        return outbox?.next_at === null && (freight?.receipts ?? []).some((receipt) => receipt.consumer === 'jbot' && receipt.status === 'handled')
          ? true
          : undefined;
      },
      { timeoutMs: 20_000, what: "jbot's receipt handled and the Telegram outbox drained" },
    );
    expect(freightLines()).toHaveLength(1);
    const approvals = await db.rpc<{ bot: string; action: string; status: string }>('list_approvals', { p_status: 'pending', p_bot: null, p_limit: 10 });
    expect(approvals.map((approval) => `${approval.bot}/${approval.action}`).sort()).toEqual(['mktgbot/pause_campaigns', 'salesbot/send_delay_notices']);
  }, 120_000);
});
