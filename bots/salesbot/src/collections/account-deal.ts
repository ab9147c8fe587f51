import type { Deal } from '@jbot/connectors';

/**
 * The deal an account's email is logged on: its open deal first, then the most recently active.
 * Null when the account has no deal in the CRM (reported, not guessed at).
 */
export function accountDeal(deals: readonly Deal[], accountName: string): Deal | null {
  const mine = deals.filter((deal) => deal.accountName === accountName);
  const rank = (deal: Deal) => Date.parse(deal.lastActivityAt ?? deal.createdAt) || 0;
  return [...mine].sort((left, right) => Number(left.isClosed) - Number(right.isClosed) || rank(right) - rank(left))[0] ?? null;
}
