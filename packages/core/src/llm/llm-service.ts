import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import { createAnthropicClient, type MessagesClient } from './anthropic-client.js';
import { botBudgetUsd, type LlmConfig } from './llm-config.js';
import { BudgetExceededError, LlmKillSwitchError, LlmOutputError } from './llm-errors.js';
import { addUsage, costUsd, estimateCostUsd, NO_USAGE, type TokenUsage } from './llm-pricing.js';
import { extractJson, fenceData, systemBlocks, toolDefinitions, userContent } from './llm-prompt.js';
import type { Llm, LlmRequest, LlmResult, LlmTool, ToolStep } from './llm.js';
import { offlineText } from './offline-drafter.js';
import { rpcOne } from '../db/rpc-one.js';

/** The fleet_settings key of the database kill switch; its value is `{ enabled: boolean }`. */
export const LLM_KILL_SWITCH_KEY = 'llm_kill_switch';

/** What a bot's LLM service needs. */
export interface LlmServiceOptions {
  db: Db;
  bot: string;
  config: LlmConfig;
  signals: SignalEmitter;
  log: Logger;
  /** The clock that decides the budget day (tests move it to tomorrow). */
  now?: () => Date;
  /** A ready client (benches); otherwise the SDK is loaded on the first call. */
  client?: MessagesClient;
}

/** One run's view of the service: calls are recorded against this job and run. */
export interface LlmRun {
  job: string | null;
  runId: string | null;
  log?: Logger;
  abortSignal?: AbortSignal;
}

/** A bot's LLM service: one client, one budget, a `ctx.llm` per run. */
export interface LlmService {
  readonly offline: boolean;
  forRun(run: LlmRun): Llm;
}

type Message = Anthropic.MessageParam;
type Response = Anthropic.Message;
const DEFAULT_MAX_TOKENS = 1024;
const TOOL_OUTPUT_LIMIT = 20_000;

/** Build a bot's LLM service (see Llm for what a job gets). */
export function createLlmService(options: LlmServiceOptions): LlmService {
  const { db, bot, config, signals } = options;
  const now = options.now ?? (() => new Date());
  const offline = config.apiKey === undefined;
  let client: Promise<MessagesClient> | undefined = options.client === undefined ? undefined : Promise.resolve(options.client);
  // How long a reservation may stay unsettled before the brain gives it back: every attempt
  // timing out, plus the SDK's back-off (retry-after is honoured up to a minute) between them.
  // A process killed mid-call thus blocks its estimate for minutes, not for the rest of the day.
  const holdSeconds = Math.ceil(((config.timeoutMs + 60_000) * (config.maxRetries + 1)) / 1000);

  // One logical model call: kill switch, budget reservation, the SDK call (its own retries),
  // then one settled ledger row. A refused call never reaches the API.
  async function call(
    run: LlmRun,
    params: { model: string; system: ReturnType<typeof systemBlocks>; tools?: ReturnType<typeof toolDefinitions>; messages: Message[]; maxTokens: number },
  ): Promise<{ response: Response; usage: TokenUsage; cost: number }> {
    const log = run.log ?? options.log;
    if (config.killSwitch) throw new LlmKillSwitchError('env');
    const [setting] = await db.rpc<{ value: { enabled?: unknown } | null }>('get_fleet_setting', { p_key: LLM_KILL_SWITCH_KEY });
    if (setting?.value?.enabled === true) throw new LlmKillSwitchError('database');
    const price = config.prices[params.model];
    if (price === undefined) throw new LlmOutputError(`no price for model ${params.model}; add it to LLM_PRICES`, { model: params.model });
    const body = {
      model: params.model,
      max_tokens: params.maxTokens,
      system: params.system,
      ...(params.tools === undefined ? {} : { tools: params.tools }),
      messages: params.messages,
    };
    const estimate = estimateCostUsd(JSON.stringify(body).length, params.maxTokens, price);
    const botCap = botBudgetUsd(config, bot);
    const at = now();
    const reserved = await rpcOne<{
      allowed: boolean;
      scope: 'bot' | 'fleet' | null;
      reservation_id: string | null;
      bot_spent_usd: number;
      fleet_spent_usd: number;
      day: string;
    }>(db, 'reserve_llm_budget', {
      p_bot: bot,
      p_job: run.job,
      p_run_id: run.runId,
      p_model: params.model,
      p_estimate_usd: estimate,
      p_bot_cap_usd: botCap,
      p_fleet_cap_usd: config.fleetDailyUsd,
      p_now: at.toISOString(),
      p_hold_seconds: holdSeconds,
    });
    if (!reserved.allowed || reserved.reservation_id === null) {
      const scope = reserved.scope ?? 'bot';
      const day = String(reserved.day).slice(0, 10);
      const capUsd = scope === 'bot' ? botCap : config.fleetDailyUsd;
      const spentUsd = scope === 'bot' ? reserved.bot_spent_usd : reserved.fleet_spent_usd;
      // One alert per bot per day however many calls are refused (the dedupe window folds repeats).
      await signals
        .emit(
          'budget_exceeded',
          { bot, scope, cap_usd: capUsd, spent_usd: spentUsd, day },
          { dedupeKey: `budget_exceeded:${bot}:${day}`, dedupeWindowMs: 86_400_000, sharedKey: true },
        )
        .catch((error: unknown) => log.error({ err: error }, 'could not raise budget_exceeded'));
      throw new BudgetExceededError({ bot, scope, capUsd, spentUsd, estimateUsd: estimate, day });
    }
    let response: Response;
    try {
      client ??= createAnthropicClient(config);
      response = await (
        await client
      ).messages.create(
        { ...body, stream: false } as Anthropic.MessageCreateParamsNonStreaming,
        run.abortSignal === undefined ? {} : { signal: run.abortSignal },
      );
    } catch (error) {
      await db.rpc('release_llm_budget', { p_reservation_id: reserved.reservation_id }).catch(() => {});
      throw error;
    }
    const usage: TokenUsage = {
      inputTokens: response.usage.input_tokens,
      outputTokens: response.usage.output_tokens,
      cacheWriteTokens: response.usage.cache_creation_input_tokens ?? 0,
      cacheReadTokens: response.usage.cache_read_input_tokens ?? 0,
    };
    const cost = costUsd(usage, price);
    await db.rpc('record_llm_usage', {
      p_reservation_id: reserved.reservation_id,
      p_model: response.model || params.model,
      p_input_tokens: usage.inputTokens,
      p_output_tokens: usage.outputTokens,
      p_cache_write_tokens: usage.cacheWriteTokens,
      p_cache_read_tokens: usage.cacheReadTokens,
      p_cost_usd: cost,
    });
    log.info({ model: params.model, ...usage, costUsd: cost, stopReason: response.stop_reason }, `llm call $${cost.toFixed(6)}`);
    return { response, usage, cost };
  }

  function forRun(run: LlmRun): Llm {
    const model = (request: LlmRequest) => config.models[request.tier ?? 'fast'];
    const offlineResult = <T>(value: T): LlmResult<T> => ({ value, offline: true, model: 'offline-drafter', usage: NO_USAGE, costUsd: 0 });
    return {
      offline,
      async complete(request) {
        if (offline) return offlineResult(offlineText(request, request.offline));
        const { response, usage, cost } = await call(run, {
          model: model(request),
          system: systemBlocks(request.system),
          messages: [{ role: 'user', content: userContent(request.prompt, request.data) }],
          maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        });
        return { value: textOf(response), offline: false, model: response.model, usage, costUsd: cost };
      },
      async structured(request) {
        if (offline) return offlineResult(request.offline());
        const messages: Message[] = [{ role: 'user', content: `${userContent(request.prompt, request.data)}\n\nAnswer with one JSON object only.` }];
        let total = NO_USAGE;
        let spent = 0;
        for (let attempt = 1; attempt <= 2; attempt += 1) {
          const { response, usage, cost } = await call(run, {
            model: model(request),
            system: systemBlocks(request.system),
            messages,
            maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
          });
          total = addUsage(total, usage);
          spent += cost;
          const text = textOf(response);
          const problem = validate(text, request.schema);
          if (problem.ok) return { value: problem.value, offline: false, model: response.model, usage: total, costUsd: spent };
          if (attempt === 2) throw new LlmOutputError(`the model's JSON is still invalid after one repair: ${problem.error}`, { text: text.slice(0, 500) });
          // One repair: show the model its answer and what was wrong with it.
          messages.push(
            { role: 'assistant', content: text },
            { role: 'user', content: `That answer is not valid: ${problem.error}. Reply with the corrected JSON object only.` },
          );
        }
        throw new LlmOutputError('unreachable');
      },
      async runTools(request) {
        if (offline) return { ...offlineResult(offlineText(request, request.offline)), steps: [] };
        const log = run.log ?? options.log;
        const tools = new Map(request.tools.map((tool) => [tool.name, tool as LlmTool<unknown>]));
        const definitions = toolDefinitions(request.tools);
        const messages: Message[] = [{ role: 'user', content: userContent(request.prompt, request.data) }];
        const steps: ToolStep[] = [];
        const maxSteps = request.maxSteps ?? config.maxSteps;
        let total = NO_USAGE;
        let spent = 0;
        for (let step = 1; step <= maxSteps; step += 1) {
          const { response, usage, cost } = await call(run, {
            model: model(request),
            system: systemBlocks(request.system),
            tools: definitions,
            messages,
            maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
          });
          total = addUsage(total, usage);
          spent += cost;
          const uses = response.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
          if (response.stop_reason !== 'tool_use' || uses.length === 0)
            return { value: textOf(response), offline: false, model: response.model, usage: total, costUsd: spent, steps };
          messages.push({ role: 'assistant', content: response.content as Anthropic.ContentBlockParam[] });
          const results: Anthropic.ToolResultBlockParam[] = [];
          for (const use of uses) {
            const outcome = await runTool(tools.get(use.name), use);
            steps.push(outcome.step);
            log.info({ tool: use.name, input: use.input, error: outcome.step.error }, `llm tool call: ${use.name}`);
            results.push({
              type: 'tool_result',
              tool_use_id: use.id,
              content: outcome.content,
              ...(outcome.step.error === undefined ? {} : { is_error: true }),
            });
          }
          messages.push({ role: 'user', content: results });
        }
        throw new LlmOutputError(`the tool loop reached its cap of ${maxSteps} steps without an answer`, { steps: steps.length });
      },
    };
  }

  return { offline, forRun };
}

async function runTool(tool: LlmTool<unknown> | undefined, use: Anthropic.ToolUseBlock): Promise<{ step: ToolStep; content: string }> {
  if (tool === undefined) return { step: { tool: use.name, input: use.input, error: 'unknown tool' }, content: `There is no tool named ${use.name}.` };
  const parsed = tool.input.safeParse(use.input);
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ');
    return { step: { tool: use.name, input: use.input, error }, content: `Invalid input: ${error}` };
  }
  try {
    const output = await tool.run(parsed.data);
    const content = typeof output === 'string' ? output : JSON.stringify(output ?? null);
    const text = content.length > TOOL_OUTPUT_LIMIT ? `${content.slice(0, TOOL_OUTPUT_LIMIT)}…(truncated)` : content;
    return { step: { tool: use.name, input: parsed.data, output }, content: fenceData({ label: `${use.name} result`, text }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { step: { tool: use.name, input: parsed.data, error: message }, content: `The tool failed: ${message}` };
  }
}

function textOf(response: Response): string {
  return response.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

function validate<T>(
  text: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
): { ok: true; value: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = extractJson(text);
  } catch {
    return { ok: false, error: 'it is not a JSON object' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ') };
}
