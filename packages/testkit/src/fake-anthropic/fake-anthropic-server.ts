import { readRequestText } from '../http-body.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { costUsd, DEFAULT_PRICES, type ModelPrice } from '@jbot/core';
import { PromptCache, tokensOf } from './prompt-cache.js';
import { draftReply } from './draft-reply.js';

// The tokens tokensOf counts for an empty text block's JSON (`[{"type":"text","text":""}]`).
const TEXT_BLOCK_TOKENS = tokensOf([{ type: 'text', text: '' }]);

/** What the fake model answers: text, tool calls, or both. */
export interface FakeModelReply {
  text?: string;
  toolUses?: Array<{ name: string; input: unknown }>;
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
}

/** A request body as the fake received it. */
export interface FakeAnthropicRequest {
  model: string;
  max_tokens: number;
  system?: unknown;
  tools?: Array<{ name: string; input_schema: unknown }>;
  messages: Array<{ role: 'user' | 'assistant'; content: unknown }>;
}

/** A failure the next request gets instead of an answer (rate limit, overload, server error). */
export interface FakeAnthropicFault {
  status: 429 | 500 | 529;
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms` (which the SDK prefers), so a test's retry waits milliseconds, not seconds. */
  retryAfterMs?: number;
}

/** One HTTP attempt as it arrived: the SDK numbers its own retries in `x-stainless-retry-count`. */
export interface FakeAnthropicAttempt {
  path: string;
  /** The SDK's retry number of this attempt (0 = the first try); undefined when the header is absent. */
  retryCount: number | undefined;
  /** The status the fake answered with. */
  status: number;
}

/** The running fake. */
export interface FakeAnthropic {
  /** Put it in ANTHROPIC_BASE_URL. */
  url: string;
  apiKey: string;
  /** Every POST /v1/messages body received (including failed attempts). */
  requests: FakeAnthropicRequest[];
  /** Every POST /v1/messages attempt with its retry number and answer status, in order. */
  attempts: FakeAnthropicAttempt[];
  /** The usage each successful response reported, in order. */
  usages: Array<{ input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }>;
  /** The model of each entry of `usages`, in the same order. */
  usageModels: string[];
  /** What the successful responses cost at these prices (default: core's DEFAULT_PRICES, the real list prices), by model. */
  bill(prices?: Record<string, ModelPrice>): { usd: number; byModel: Record<string, { calls: number; usd: number }> };
  /** Answer the next requests with these replies, in order (then the responder, then "ok"). */
  enqueue(...replies: FakeModelReply[]): void;
  /** Answer every request through this function when the queue is empty. */
  respondWith(responder: (request: FakeAnthropicRequest) => FakeModelReply): void;
  /** Fail the next request(s) with these faults, in order. */
  failNext(...faults: FakeAnthropicFault[]): void;
  close(): Promise<void>;
}

/** Options: the accepted key, the clock of the prompt cache and the length of default replies. */
export interface FakeAnthropicOptions {
  apiKey?: string;
  now?: () => number;
  /**
   * Output tokens of the default reply (no queued reply, no responder): a count or a function of
   * the request, kept within 1..max_tokens. The reply is prose, or the JSON object the prompt
   * spells out, of that length (see draftReply). Unset: the default reply is "ok".
   */
  outputTokens?: number | ((request: FakeAnthropicRequest) => number);
}

/**
 * A local server speaking the Anthropic Messages API (POST /v1/messages, GET /v1/models):
 * text and tool_use content blocks, usage with cache fields that follow the prompt-caching
 * rules, injected 429/529/500 with retry-after. The real SDK runs against it unmodified.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? 'sk-ant-fake-key';
  const cache = new PromptCache(options.now ?? Date.now);
  const requests: FakeAnthropicRequest[] = [];
  const attempts: FakeAnthropicAttempt[] = [];
  const usages: FakeAnthropic['usages'] = [];
  const usageModels: string[] = [];
  if (typeof options.outputTokens === 'number' && !(options.outputTokens >= 1))
    throw new RangeError(`outputTokens must be at least 1, got ${options.outputTokens}`);
  const defaultReply = (body: FakeAnthropicRequest): FakeModelReply => {
    if (options.outputTokens === undefined) return { text: 'ok' };
    const wanted = typeof options.outputTokens === 'number' ? options.outputTokens : options.outputTokens(body);
    const tokens = Math.min(body.max_tokens, Math.max(1, Math.round(Number.isFinite(wanted) ? wanted : 1)));
    // Usage counts the whole content block; leave room for its JSON so the total is `tokens`.
    return { text: draftReply(body, Math.max(1, tokens - TEXT_BLOCK_TOKENS)) };
  };
  const queue: FakeModelReply[] = [];
  const faults: FakeAnthropicFault[] = [];
  let responder: ((request: FakeAnthropicRequest) => FakeModelReply) | undefined;
  let sequence = 0;

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${sequence}`, ...headers });
    response.end(JSON.stringify(body));
  };
  const error = (response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) =>
    send(response, status, { type: 'error', error: { type, message } }, headers);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    // The key arrives as x-api-key (older SDKs, curl) or as a bearer token (current SDKs).
    const presented = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (presented !== apiKey) return error(response, 401, 'authentication_error', 'invalid x-api-key');
    if (request.method === 'GET' && url.pathname === '/v1/models') {
      return send(response, 200, {
        data: [
          { type: 'model', id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-15T00:00:00Z' },
          { type: 'model', id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5', created_at: '2026-10-07T00:00:00Z' },
        ],
        has_more: false,
        first_id: 'claude-sonnet-5-5',
        last_id: 'claude-haiku-5-5',
      });
    }
    if (request.method !== 'POST' || url.pathname !== '/v1/messages')
      return error(response, 404, 'not_found_error', `${request.method} ${url.pathname} is not part of the fake`);
    const body = JSON.parse(await readRequestText(request)) as FakeAnthropicRequest;
    requests.push(body);
    sequence += 1;
    const retryHeader = request.headers['x-stainless-retry-count'];
    const attempt: FakeAnthropicAttempt = { path: url.pathname, retryCount: typeof retryHeader === 'string' ? Number(retryHeader) : undefined, status: 200 };
    attempts.push(attempt);
    const fault = faults.shift();
    if (fault !== undefined) {
      attempt.status = fault.status;
      const headers: Record<string, string> = {
        ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
        ...(fault.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(fault.retryAfterMs) }),
      };
      const type = fault.status === 429 ? 'rate_limit_error' : fault.status === 529 ? 'overloaded_error' : 'api_error';
      return error(response, fault.status, type, `injected ${fault.status}`, headers);
    }
    if (typeof body.model !== 'string' || typeof body.max_tokens !== 'number' || !Array.isArray(body.messages)) {
      attempt.status = 400;
      return error(response, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
    }
    const reply = queue.shift() ?? responder?.(body) ?? defaultReply(body);
    const content: unknown[] = [];
    if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
    for (const [index, use] of (reply.toolUses ?? []).entries())
      content.push({ type: 'tool_use', id: `toolu_fake_${sequence}_${index}`, name: use.name, input: use.input });
    const cached = cache.apply(body.model, body);
    const usage = {
      input_tokens: cached.inputTokens,
      output_tokens: Math.max(1, tokensOf(content)),
      cache_creation_input_tokens: cached.cacheWriteTokens,
      cache_read_input_tokens: cached.cacheReadTokens,
    };
    usages.push(usage);
    usageModels.push(body.model);
    return send(response, 200, {
      id: `msg_fake_${sequence}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: reply.stopReason ?? ((reply.toolUses?.length ?? 0) > 0 ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage,
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((thrown: unknown) => error(response, 500, 'api_error', String(thrown)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    attempts,
    usages,
    usageModels,
    bill(prices = DEFAULT_PRICES) {
      const byModel: Record<string, { calls: number; usd: number }> = {};
      usages.forEach((usage, index) => {
        const model = usageModels[index] ?? '';
        const price = prices[model];
        if (price === undefined) throw new Error(`the fake answered model ${model}, which has no price in the table`);
        const entry = (byModel[model] ??= { calls: 0, usd: 0 });
        entry.calls += 1;
        entry.usd += costUsd(
          {
            inputTokens: usage.input_tokens,
            outputTokens: usage.output_tokens,
            cacheWriteTokens: usage.cache_creation_input_tokens,
            cacheReadTokens: usage.cache_read_input_tokens,
          },
          price,
        );
      });
      for (const entry of Object.values(byModel)) entry.usd = Math.round(entry.usd * 1e6) / 1e6;
      return { usd: Math.round(Object.values(byModel).reduce((sum, entry) => sum + entry.usd, 0) * 1e6) / 1e6, byModel };
    },
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (next) => void (responder = next),
    failNext: (...next) => void faults.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
