import {
  ChannelLiveness,
  recordChannelMessage,
  recordChannelMessageEdit,
  type Channel,
  type ChannelInbound,
  type Db,
  type Logger,
  type PostedMessage,
  type SchedulerClock,
} from '@jbot/core';
import type { DiscordConfig } from './discord-config.js';
import { parseApprovalCustomId, renderDiscordMessages } from './discord-render.js';
import { GatewayWatchdog, type GatewayWatchdogSettings } from './gateway-watchdog.js';

/** What the Discord channel needs. */
export interface DiscordChannelOptions {
  config: DiscordConfig;
  db: Db;
  bot: string;
  log: Logger;
  /** The watchdog's clock (tests pass testkit's ManualClock); default the host's. */
  clock?: SchedulerClock;
  /** Watchdog tuning; default: look every 30 s, log in afresh after 60 s not ready, down after 1 such restart. */
  watchdog?: Partial<GatewayWatchdogSettings>;
}

const WATCHDOG_DEFAULTS = {
  checkMs: 30_000,
  restartAfterMs: 60_000,
  downAfterRestarts: 1,
  rest5xxWindowMs: 600_000,
} as const satisfies GatewayWatchdogSettings;

/** Interaction already acknowledged (another copy of this bot answered first). */
const ALREADY_ACKNOWLEDGED = 40060;

/**
 * A bot's Discord channel on discord.js. discord.js is imported here, on demand, so a process
 * that never creates a Discord channel never loads it. Messages go through discord.js REST (its
 * rate-limit handling included); `start` opens the gateway so this bot's approval buttons reach
 * this process. A click is acknowledged first (deferUpdate within Discord's 3 s), then decided.
 */
export async function createDiscordChannel(options: DiscordChannelOptions): Promise<Channel> {
  const discord = await import('discord.js');
  const { Client, Events, MessageFlags, Routes, RESTEvents } = discord;
  const { config, db, bot } = options;
  const log = options.log.child({ channel: 'discord', discordChannelId: config.channelId });
  const clock: SchedulerClock = options.clock ?? {
    now: Date.now,
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const liveness = new ChannelLiveness('discord', () => clock.now());
  // A fresh client per (re)login: discord.js cannot log a destroyed client in again.
  const newClient = () => {
    const created = new Client({ intents: [], ...(config.apiBase === undefined ? {} : { rest: { api: config.apiBase } }) });
    // Posting needs only REST; the gateway opens in start().
    created.rest.setToken(config.token);
    created.rest.on(RESTEvents.Response, (_request, response) => {
      if (response.status >= 500) watchdog.restServerError();
    });
    return created;
  };
  let client = newClient();
  let inboundHandler: ChannelInbound | undefined;
  if (config.approverUserIds.size === 0 && config.approverRoleIds.size === 0) {
    log.warn('DISCORD_APPROVER_USER_IDS and DISCORD_APPROVER_ROLE_IDS are both empty: nobody can approve on Discord (fleet approve still works)');
  }

  const watchdog: GatewayWatchdog = new GatewayWatchdog(
    liveness,
    {
      isReady: () => client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === discord.Status.Ready),
      restart,
      ping: () => (client.ws.ping >= 0 ? client.ws.ping : null),
    },
    clock,
    { ...WATCHDOG_DEFAULTS, ...options.watchdog },
    log,
  );

  const isApprover = (userId: string, roleIds: readonly string[]) =>
    config.approverUserIds.has(userId) || roleIds.some((role) => config.approverRoleIds.has(role));

  const handleClick = async (interaction: import('discord.js').ButtonInteraction, inbound: ChannelInbound) => {
    const parsed = parseApprovalCustomId(interaction.customId);
    // Every process on this token sees every click; only the owning bot answers its own buttons.
    if (parsed === null || parsed.bot !== bot) return;
    const member = interaction.member;
    const roleIds =
      member === null ? [] : Array.isArray(member.roles) ? (member.roles as string[]) : [...(member.roles as { cache: Map<string, unknown> }).cache.keys()];
    const clickLog = log.child({ approvalId: parsed.approvalId, userId: interaction.user.id, decision: parsed.decision });
    if (!isApprover(interaction.user.id, roleIds)) {
      clickLog.warn('approval click refused: not on the approver list');
      await interaction
        .reply({
          content:
            'You are not on the approver list for fleet actions, so nothing changed. Ask an operator to add you (DISCORD_APPROVER_USER_IDS / DISCORD_APPROVER_ROLE_IDS).',
          flags: MessageFlags.Ephemeral,
        })
        .catch((error: unknown) => acknowledgementFailed(clickLog, error));
      return;
    }
    try {
      await interaction.deferUpdate();
    } catch (error) {
      acknowledgementFailed(clickLog, error);
      return;
    }
    const decidedBy = `discord:${interaction.user.id} (${interaction.user.username})`;
    const outcome = await inbound.decide({ approvalId: parsed.approvalId, decision: parsed.decision, decidedBy });
    clickLog.info({ decided: outcome.decided, reason: outcome.reason }, outcome.decided ? 'approval decided on Discord' : 'approval click changed nothing');
    if (!outcome.decided) await interaction.followUp({ content: `Nothing changed: ${outcome.reason}.`, flags: MessageFlags.Ephemeral });
  };

  return {
    kind: 'discord',
    target: config.channelId,
    async post(message) {
      const bodies = renderDiscordMessages(discord, message, bot);
      let primary: PostedMessage | undefined;
      for (const [index, body] of bodies.entries()) {
        const part = index === 0 ? message : { ...message, kind: 'continuation', title: `${message.title} (continued)`, text: '', fields: [], buttons: [] };
        let sent: { id: string };
        try {
          sent = (await client.rest.post(Routes.channelMessages(config.channelId), { body })) as { id: string };
        } catch (error) {
          await recordChannelMessage(db, { channel: 'discord', target: config.channelId, bot, message: part, status: 'failed', error: String(error) }).catch(
            () => {},
          );
          throw error;
        }
        liveness.sent();
        const messageId = await recordChannelMessage(db, {
          channel: 'discord',
          target: config.channelId,
          bot,
          message: index === 0 ? message : { ...message, kind: 'continuation' },
          externalMessageId: sent.id,
        });
        primary ??= { messageId, channel: 'discord', target: config.channelId, externalMessageId: sent.id };
      }
      return primary as PostedMessage;
    },
    async edit(posted, message) {
      if (posted.externalMessageId === null) throw new Error(`channel message ${posted.messageId} has no Discord message id to edit`);
      const [body] = renderDiscordMessages(discord, message, bot);
      await client.rest.patch(Routes.channelMessage(posted.target, posted.externalMessageId), { body });
      await recordChannelMessageEdit(db, posted.messageId, message);
    },
    async start(inbound) {
      inboundHandler = inbound;
      liveness.starting();
      await connect(client, inbound);
      watchdog.start();
    },
    async close() {
      await watchdog.stop();
      liveness.stopped();
      await client.destroy();
    },
    health: () => liveness.snapshot(),
  };

  // Open the gateway on a client; its session events keep the liveness record.
  async function connect(target: import('discord.js').Client, inbound: ChannelInbound): Promise<void> {
    target.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isButton()) return;
      handleClick(interaction, inbound).catch((error: unknown) => log.error({ err: error, customId: interaction.customId }, 'approval click failed'));
    });
    target.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    // A client replaced by a restart may still report its own closing: only the current one counts.
    const current = () => target === client;
    target.on(Events.Raw, () => current() && liveness.received());
    target.on(Events.ShardReady, () => current() && liveness.answered());
    target.on(Events.ShardResume, () => current() && liveness.answered());
    target.on(Events.ShardReconnecting, () => current() && liveness.failed('gateway connection lost; discord.js is reconnecting'));
    target.on(Events.ShardDisconnect, (event) => current() && liveness.failed(`gateway closed with ${event.code} and will not reconnect by itself`));
    target.on(Events.Invalidated, () => current() && liveness.failed('gateway session invalidated'));
    const ready = new Promise<void>((resolve) => target.once(Events.ClientReady, () => resolve()));
    await target.login(config.token);
    await ready;
    if (current()) liveness.answered();
    log.info({ user: target.user?.tag }, 'connected to the Discord gateway');
  }

  // Log in afresh, without waiting for READY: a gateway that stays silent is the watchdog's to judge.
  async function restart(): Promise<void> {
    const previous = client;
    const next = newClient();
    client = next;
    // Not awaited: a client half-way through connecting to a silent gateway closes on its own time.
    void previous.destroy().catch((error: unknown) => log.warn({ err: error }, 'destroying the stalled Discord client failed'));
    if (inboundHandler === undefined) return;
    void connect(next, inboundHandler).catch((error: unknown) => {
      // A login cut short by the next restart is not news.
      if (next !== client) return;
      liveness.failed(`login failed: ${String(error)}`);
      log.error({ err: error }, 'logging in to the Discord gateway again failed; the watchdog tries again');
    });
  }
}

function acknowledgementFailed(log: Logger, error: unknown): void {
  if ((error as { code?: unknown }).code === ALREADY_ACKNOWLEDGED) {
    log.debug('another copy of this bot answered the click first');
    return;
  }
  log.error({ err: error }, "could not acknowledge the approval click within Discord's window; nothing was decided");
}
