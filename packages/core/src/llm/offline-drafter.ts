import type { LlmRequest } from './llm.js';

/** The label every offline draft carries, so nobody mistakes a template for a model's work. */
export const OFFLINE_LABEL = '[offline draft — set ANTHROPIC_API_KEY for Claude]';

/** A drafted text as a person will read it: labelled on its own first line when the offline drafter wrote it. */
export function labelOffline(text: string, offline: boolean): string {
  return offline ? `${OFFLINE_LABEL}\n${text}` : text;
}

/**
 * What the fleet writes when there is no model: the job's own template when it gave one, else
 * a deterministic summary of what it was asked and of the material it was given. Labelled,
 * free, and the same every time, so every flow still runs locally and in tests.
 */
export function offlineText(request: LlmRequest, template?: () => string): string {
  if (template !== undefined) return `${OFFLINE_LABEL} ${template()}`;
  const material = (request.data ?? []).map((item) => `- ${item.label}: ${firstLine(item.text)}`);
  return [`${OFFLINE_LABEL} ${firstLine(request.prompt)}`, ...material].join('\n');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
