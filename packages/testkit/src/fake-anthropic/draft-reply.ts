import type { FakeAnthropicRequest } from './fake-anthropic-server.js';
import { tokensOf } from './prompt-cache.js';

// Plausible business prose to fill a reply of a given length (≈4 characters a token, like
// tokensOf). Deterministic, so two runs of a bench bill the same.
const SENTENCES = [
  'Thanks for your patience while we sort this out.',
  'The shipment from our supplier is running late, and we have re-planned the affected orders around the new arrival date.',
  'We can ship the items that are in stock now and send the rest as soon as they are received.',
  'Could we book fifteen minutes this week to walk through the revised dates together?',
  'The numbers below come from this morning’s sync and match what your team sees in the portal.',
  'If any of this changes your plans for the season, reply to this note and we will adjust.',
];

/** Prose of about `tokens` tokens (at least one word). */
export function proseOfLength(tokens: number): string {
  const target = Math.max(1, tokens) * 4;
  let text = '';
  for (let index = 0; text.length < target; index += 1) text += `${text === '' ? '' : ' '}${SENTENCES[index % SENTENCES.length]}`;
  const cut = text.lastIndexOf(' ', target);
  return (cut > 0 ? text.slice(0, cut) : text.slice(0, target)).replace(/[,\s]+$/, '') || 'Noted.';
}

// The JSON shape a prompt asks for, as prompts in this repo write it: `{"subject": string, "body": string}`.
const SHAPE = /\{\s*"[a-z_][a-z0-9_]*"\s*:[^{}]*\}/i;
const FIELD = /"([a-z_][a-z0-9_]*)"\s*:\s*([^,}]*)/gi;

/** The text of every system block and message of a request, for reading what it asks for. */
function promptText(request: FakeAnthropicRequest): string {
  const parts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null && 'text' in value) collect((value as { text: unknown }).text);
    else if (typeof value === 'object' && value !== null && 'content' in value) collect((value as { content: unknown }).content);
  };
  collect(request.system);
  collect(request.messages);
  return parts.join('\n');
}

/**
 * The default answer of a fake configured with an output length: when the prompt asks for a
 * JSON object and spells its fields (`{"subject": string, "body": string}`), that object with
 * numbers for number fields and text for the rest, the last text field carrying the length;
 * otherwise prose of that length. A caller whose schema needs more than this (an enum, a nested
 * array) gives the fake a responder.
 */
export function draftReply(request: FakeAnthropicRequest, tokens: number): string {
  const text = promptText(request);
  const shape = /json/i.test(text) ? SHAPE.exec(text)?.[0] : undefined;
  if (shape === undefined) return proseOfLength(tokens);
  const fields = [...shape.matchAll(FIELD)].map((match) => ({ name: match[1] ?? 'value', kind: (match[2] ?? '').trim().toLowerCase() }));
  const value: Record<string, unknown> = {};
  const textFields = fields.filter((field) => !/^(number|integer)/.test(field.kind) && !/^boolean/.test(field.kind));
  for (const field of fields) {
    if (/^(number|integer)/.test(field.kind)) value[field.name] = 1;
    else if (/^boolean/.test(field.kind)) value[field.name] = true;
    else value[field.name] = field === textFields.at(-1) ? '' : proseOfLength(8);
  }
  const last = textFields.at(-1);
  if (last !== undefined) value[last.name] = proseOfLength(Math.max(1, tokens - tokensOf(value)));
  return JSON.stringify(value);
}
