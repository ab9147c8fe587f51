import { z } from 'zod';
import type { FleetMember, Llm, Logger } from '@jbot/core';
import { keywordRouter, type MessageRoute, type MessageRouter } from './routing.js';

// The prompt lists each bot's purpose from the roster, in roster order, so it is byte-stable
// from call to call and the prompt cache holds.
function systemPrompt(fleet: readonly FleetMember[]): string {
  return [
    "You route a company operator's message to the one bot whose job it is. The bots:",
    ...fleet.map((member) => `- ${member.name}: ${member.purpose}`),
    'Answer with JSON only: {"bot": one of the bot names, "reason": a few words}. Choose jbot for greetings, status questions and anything unclear.',
  ].join('\n');
}

/**
 * jbot's router for free-form operator messages: Claude (the fast tier, a cached prompt of a few
 * hundred tokens) picks the bot; offline, over budget or on any model failure it falls back to
 * the keyword rules, so a message is always routed. "status"/"brief" never costs a call.
 */
export function llmRouter(llm: Llm, log: Logger, fleet: readonly FleetMember[]): MessageRouter {
  if (llm.offline || fleet.length === 0) return keywordRouter;
  const SYSTEM = systemPrompt(fleet);
  const answer = z.object({ bot: z.enum(fleet.map((member) => member.name) as [string, ...string[]]), reason: z.string().max(200) });
  return {
    async route(text): Promise<MessageRoute> {
      if (/^\s*\/?(brief|status|now|what needs me)\b/i.test(text)) return keywordRouter.route(text);
      try {
        const result = await llm.structured({
          tier: 'fast',
          system: SYSTEM,
          prompt: 'Which bot should handle the operator message below?',
          data: [{ label: 'operator message', text }],
          schema: answer,
          maxTokens: 100,
          offline: () => ({ bot: 'jbot', reason: 'offline' }),
        });
        if (result.value.bot === 'jbot') return { kind: 'jbot', intent: 'help' };
        return { kind: 'bot', bot: result.value.bot, reason: `llm: ${result.value.reason}` };
      } catch (error) {
        log.warn({ err: error }, 'LLM routing failed; routing by keywords');
        return keywordRouter.route(text);
      }
    },
  };
}
