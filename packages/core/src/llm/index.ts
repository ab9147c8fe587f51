export type { Llm, AnyLlmTool, LlmRequest, LlmResult, LlmTool, ToolStep, UntrustedText } from './llm.js';
export { createLlmService, LLM_KILL_SWITCH_KEY, type LlmService, type LlmServiceOptions, type LlmRun } from './llm-service.js';
export { loadLlmConfig, llmEnvShape, botBudgetUsd, DEFAULT_PRICES, DEFAULT_MODELS, type LlmConfig, type ModelPrice, type ModelTier } from './llm-config.js';
export { BudgetExceededError, LlmKillSwitchError, LlmOutputError } from './llm-errors.js';
export { costUsd, estimateCostUsd, addUsage, NO_USAGE, type TokenUsage } from './llm-pricing.js';
export { readConnectorTool, emitSignalTool, requestApprovalTool, workspaceTools, botWorkspaceDirectory, runScriptTool } from './llm-tools.js';
export { OFFLINE_LABEL, offlineText, labelOffline } from './offline-drafter.js';
export { systemBlocks, toolDefinitions, userContent, fenceData } from './llm-prompt.js';
export { probeAnthropic } from './probe-anthropic.js';
