/** A deal as named in the stale_deals payload. */
export interface NamedDeal {
  deal_id: string;
  name: string;
}

/** What the operator asked for, as far as follow-ups go. */
export interface FollowUpIntent {
  /** The instruction asks for follow-up emails at all. */
  wantsFollowUps: boolean;
  /** Which of the offered deals; all of them unless the text singles some out. */
  deals: NamedDeal[];
}

const FOLLOW_UP_WORDS = /\b(follow[\s-]?ups?|email|e-mail|draft|reach out|nudge|chase|ping|write)\b/i;

/**
 * Read the operator's short reply ("follow up on both, draft emails", "only Whole Harvest"):
 * whether follow-ups are wanted, and for which deals. Deals are singled out by a distinctive word
 * of their account name; "both", "all" or no name means every deal offered. Deterministic on
 * purpose: the operator's words decide which customers get an email, not a model's guess.
 */
export function readFollowUpIntent(text: string, offered: readonly NamedDeal[]): FollowUpIntent {
  const lower = text.toLowerCase();
  const named = offered.filter((deal) => accountWords(deal.name).some((word) => new RegExp(`\\b${escape(word)}\\b`, 'i').test(lower)));
  return { wantsFollowUps: FOLLOW_UP_WORDS.test(text), deals: named.length > 0 ? named : [...offered] };
}

// "Whole Harvest Market — Holiday program (Driftwood Candle Co.)" → ["whole", "harvest", "market"] minus common words.
function accountWords(dealName: string): string[] {
  const account = dealName.split(' — ')[0] ?? dealName;
  return account
    .toLowerCase()
    .split(/[^a-z0-9&']+/)
    .filter((word) => word.length >= 4 && !COMMON.has(word));
}

const COMMON = new Set(['market', 'supply', 'store', 'stores', 'company', 'shop', 'goods', 'trading', 'group', 'the']);

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
