import type { z } from 'zod';
import type { ModelTier } from './llm-config.js';
import type { TokenUsage } from './llm-pricing.js';

/** Text from outside the fleet (emails, deal notes, supplier messages, web pages): given to the model as data, never as instructions. */
export interface UntrustedText {
  label: string;
  text: string;
}

/** One model request as a job writes it. */
export interface LlmRequest {
  /** `fast` (a Haiku-class model, default) or `smart` (a Sonnet-class model). */
  tier?: ModelTier;
  /** The job's standing instructions: cached, so keep it identical from run to run. */
  system: string;
  /** This run's question. */
  prompt: string;
  /** Untrusted material, fenced and labelled as data. */
  data?: UntrustedText[];
  /** Output allowance (default 1024); also what the budget reserves for. */
  maxTokens?: number;
}

/** What a call returned, with what it cost. */
export interface LlmResult<T> {
  value: T;
  /** true: the offline drafter answered (no ANTHROPIC_API_KEY); the caller labels the draft. */
  offline: boolean;
  model: string;
  usage: TokenUsage;
  costUsd: number;
}

/** A tool the model may call in runTools; its input is validated before `run` sees it. */
export interface LlmTool<Input = unknown> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  run(input: Input): Promise<unknown> | unknown;
}

/** A tool of any input type, for lists of tools (each validates its own input before it runs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLlmTool = LlmTool<any>;

/** One tool call of a runTools loop, as logged with the run. */
export interface ToolStep {
  tool: string;
  input: unknown;
  output?: unknown;
  error?: string;
}

/** `ctx.llm`: every call priced, recorded in llm_usage and checked against the daily caps first. */
export interface Llm {
  /** true when ANTHROPIC_API_KEY is unset: the offline drafter answers, cost 0. */
  readonly offline: boolean;
  /** Plain completion. */
  complete(request: LlmRequest & { offline?: () => string }): Promise<LlmResult<string>>;
  /** JSON validated by the schema, with one repair attempt. `offline` builds the value when there is no model. */
  structured<T>(request: LlmRequest & { schema: z.ZodType<T>; offline: () => T }): Promise<LlmResult<T>>;
  /** A tool-use loop up to maxSteps model calls; side effects only ever through a requestApproval tool. */
  runTools(request: LlmRequest & { tools: AnyLlmTool[]; maxSteps?: number; offline?: () => string }): Promise<LlmResult<string> & { steps: ToolStep[] }>;
}
