import { z } from 'zod';
import { BOT_NAMES, type Llm, type Logger } from '@jbot/core';
import { keywordRouter, type MessageRoute, type MessageRouter } from './routing.js';

/** What each bot is for, as the router model reads it (kept stable so the prompt is cached). */
const BOT_DUTIES: Readonly<Record<string, string>> = {
  salesbot: 'HubSpot pipeline: deals, wholesale customers, follow-ups, customer notices',
  mktgbot: 'Meta Ads and Klaviyo: campaigns, spend, email flows, pausing ads',
  opsbot: 'supply chain: inbound shipments and freight, suppliers, vendors, purchase orders',
  shipbot: 'fulfilment: inventory, stock levels, late orders, the fulfilment forecast',
  contentbot: 'SEO, product copy, Amazon listings',
  adsbot: 'ad creative and creative fatigue',
  socialbot: 'the social media calendar and posts',
  studiobot: 'influencers and UGC creators',
  sysbot: 'the fleet itself: bot health, failing jobs, LLM costs and budgets',
  jbot: "the operator's assistant: status, what needs attention now, anything no other bot owns",
};

const SYSTEM = [
  'You route a company operator\'s message to the one bot whose job it is. The bots:',
  ...Object.entries(BOT_DUTIES).map(([bot, duty]) => `- ${bot}: ${duty}`),
  'Answer with JSON only: {"bot": one of the bot names, "reason": a few words}. Choose jbot for greetings, status questions and anything unclear.',
].join('\n');

const answer = z.object({ bot: z.enum([...BOT_NAMES] as [string, ...string[]]), reason: z.string().max(200) });

/**
 * jbot's router for free-form operator messages: Claude (the fast tier, a cached prompt of a few
 * hundred tokens) picks the bot; offline, over budget or on any model failure it falls back to
 * the keyword rules, so a message is always routed. "status"/"brief" never costs a call.
 */
export function llmRouter(llm: Llm, log: Logger): MessageRouter {
  if (llm.offline) return keywordRouter;
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
