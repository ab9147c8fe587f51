import { readRequestText } from '../http-body.js';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { FakeDiscordGateway } from './fake-discord-gateway.js';
import { FakeDiscordStore, messageObject, type FakeDiscordInteractionResponse, type FakeDiscordMessage } from './fake-discord-store.js';

/** A button click to simulate. */
export interface FakeDiscordClick {
  messageId: string;
  customId: string;
  userId: string;
  username?: string;
  roleIds?: string[];
}

/**
 * A small local Discord: REST (gateway/bot, channel messages create/edit/get, interaction
 * callbacks, interaction webhooks) and a gateway over ws. discord.js runs unmodified against it
 * with `rest: { api: fake.apiBase }` (DISCORD_API_BASE); it finds the gateway via GET /gateway/bot.
 */
export interface FakeDiscord {
  /** Point DISCORD_API_BASE here. */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  applicationId: string;
  store: FakeDiscordStore;
  /** Every REST request, in order. */
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Messages in a channel, oldest first. */
  channelMessages(channelId: string): FakeDiscordMessage[];
  message(messageId: string): FakeDiscordMessage | undefined;
  /** How many gateway sessions are identified. */
  readySessions(): number;
  /** Kill every gateway connection; `silent`: and leave new ones unanswered until answerGateway(). */
  killGateway(options?: { silent?: boolean }): void;
  /** The gateway answers connections again. */
  answerGateway(): void;
  /** Gateway connections accepted so far (logins and reconnects). */
  gatewayConnections(): number;
  /** Click a button: INTERACTION_CREATE goes to every session. Returns the interaction id. */
  click(click: FakeDiscordClick): string;
  /** The bot's answer to an interaction so far. */
  response(interactionId: string): FakeDiscordInteractionResponse | undefined;
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeDiscordOptions {
  /** REST and IDENTIFY must carry this bot token; default "fake-discord-token". */
  token?: string;
  port?: number;
  guildId?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 0,
  ) {
    super(message);
  }
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const text = await readRequestText(request);
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

/** Start the fake on a free port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-discord-token';
  const guildId = options.guildId ?? '900000000000000001';
  const store = new FakeDiscordStore();
  const applicationId = store.snowflake();
  const botUser = { id: applicationId, username: 'jbot-fleet', discriminator: '0', global_name: null, avatar: null, bot: true };
  const requests: FakeDiscord['requests'] = [];
  let baseUrl = '';

  const route = async (method: string, path: string, body: unknown, authorization: string | undefined): Promise<{ status: number; json?: unknown }> => {
    const parts = path.split('/').filter((part) => part !== '');
    // Interaction callbacks and webhooks are authorised by their token, not the bot token.
    const tokenRoute = parts[0] === 'interactions' || parts[0] === 'webhooks';
    if (!tokenRoute && authorization !== `Bot ${token}`) throw new HttpError(401, '401: Unauthorized', 0);
    const record = (body ?? {}) as Record<string, unknown>;

    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        json: {
          url: `${baseUrl.replace(/^http/, 'ws')}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (method === 'GET' && path === '/users/@me') return { status: 200, json: botUser };
    if (parts[0] === 'channels' && parts[1] !== undefined) {
      const channelId = parts[1];
      if (method === 'GET' && parts.length === 2)
        return { status: 200, json: { id: channelId, type: 0, guild_id: guildId, name: `channel-${channelId}`, position: 0, permission_overwrites: [] } };
      if (method === 'POST' && parts[2] === 'messages' && parts.length === 3) {
        return { status: 200, json: messageObject(store.createMessage(channelId, record), botUser) };
      }
      if (parts[2] === 'messages' && parts[3] !== undefined) {
        const existing = store.messages.get(parts[3]);
        if (existing === undefined || existing.channel_id !== channelId) throw new HttpError(404, 'Unknown Message', 10008);
        if (method === 'GET') return { status: 200, json: messageObject(existing, botUser) };
        if (method === 'PATCH') return { status: 200, json: messageObject(store.editMessage(existing.id, record) ?? existing, botUser) };
      }
    }
    if (method === 'POST' && parts[0] === 'interactions' && parts[3] === 'callback') {
      const interaction = store.interactions.get(parts[1] ?? '');
      if (interaction === undefined || interaction.token !== parts[2]) throw new HttpError(404, 'Unknown interaction', 10062);
      if (interaction.callback !== null) {
        interaction.refusedCallbacks += 1;
        throw new HttpError(400, 'Interaction has already been acknowledged.', 40060);
      }
      interaction.callback = { type: Number(record['type']), data: (record['data'] as Record<string, unknown> | undefined) ?? null };
      interaction.acknowledgedAt = performance.now();
      return { status: 204 };
    }
    if (parts[0] === 'webhooks' && parts[2] !== undefined) {
      const interaction = [...store.interactions.values()].find((candidate) => candidate.token === parts[2]);
      if (interaction === undefined || parts[1] !== applicationId) throw new HttpError(404, 'Unknown Webhook', 10015);
      if (method === 'POST' && parts.length === 3) {
        interaction.followUps.push(record);
        const sent = store.createMessage('interaction', record, interaction.token);
        return { status: 200, json: messageObject(sent, botUser) };
      }
      if (method === 'PATCH' && parts[3] === 'messages') {
        const original = [...store.messages.values()].find((message) => message.id === parts[4]);
        if (original === undefined) throw new HttpError(404, 'Unknown Message', 10008);
        return { status: 200, json: messageObject(store.editMessage(original.id, record) ?? original, botUser) };
      }
    }
    throw new HttpError(404, `404: Not Found (${method} ${path})`, 0);
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      // discord.js calls <api>/v10/<route>; accept any version prefix.
      // Discord accepts escaped route segments (discord.js sends /users/%40me).
      const path = decodeURIComponent(url.pathname)
        .replace(/^\/api/, '')
        .replace(/^\/v\d+/, '');
      try {
        const body = await readBody(request);
        requests.push({ method: request.method ?? 'GET', path, body });
        const result = await route(request.method ?? 'GET', path, body, request.headers.authorization);
        if (result.json === undefined) {
          response.writeHead(result.status).end();
        } else {
          response.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.json));
        }
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const code = error instanceof HttpError ? error.code : 0;
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: error instanceof Error ? error.message : String(error), code }));
      }
    })();
  });
  const gateway = new FakeDiscordGateway(server, { token: () => token, user: botUser, applicationId, url: () => `${baseUrl.replace(/^http/, 'ws')}/gateway` });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiBase: `${baseUrl}/api`,
    gatewayUrl: `${baseUrl.replace(/^http/, 'ws')}/gateway`,
    token,
    applicationId,
    store,
    requests,
    channelMessages: (channelId) => store.channelMessages(channelId),
    message: (messageId) => store.messages.get(messageId),
    readySessions: () => gateway.readyCount,
    killGateway: (killOptions) => gateway.kill(killOptions),
    answerGateway: () => gateway.answer(),
    gatewayConnections: () => gateway.connections,
    click(click) {
      const message = store.messages.get(click.messageId);
      if (message === undefined) throw new Error(`fake Discord: no message ${click.messageId} to click on`);
      const interactionId = store.snowflake();
      const interactionToken = store.token();
      store.interactions.set(interactionId, {
        interactionId,
        token: interactionToken,
        callback: null,
        followUps: [],
        refusedCallbacks: 0,
        dispatchedAt: performance.now(),
        acknowledgedAt: null,
      });
      const user = {
        id: click.userId,
        username: click.username ?? `user${click.userId}`,
        discriminator: '0',
        global_name: click.username ?? null,
        avatar: null,
      };
      gateway.dispatch('INTERACTION_CREATE', {
        id: interactionId,
        application_id: applicationId,
        type: 3,
        token: interactionToken,
        version: 1,
        guild_id: guildId,
        channel_id: message.channel_id,
        member: { user, roles: click.roleIds ?? [], permissions: '0', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
        message: messageObject(message, botUser),
        data: { custom_id: click.customId, component_type: 2 },
        locale: 'en-US',
        guild_locale: 'en-US',
        app_permissions: '0',
        entitlements: [],
        authorizing_integration_owners: { '0': guildId },
        context: 0,
      });
      return interactionId;
    },
    response: (interactionId) => store.interactions.get(interactionId),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
