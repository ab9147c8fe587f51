import { listApprovals, type BotContext, type OperatorInstruction } from '@jbot/core';
import { marginException } from '../signals.js';
import { approveDealPricing } from '../pricing/approve-deal-pricing.js';

const FLOOR = /\b(floor|reprice|re-price|counter|minimum|price)\b/i;
const SIGN_OFF = /\b(approve|approved|sign|ok|fine|accept)\b/i;

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/**
 * The operator's reply to a margin-exception line. "Floor" / "reprice" answers with the floor price
 * per line and what the deal is worth at the floor (what the rep can counter with); "approve" /
 * "sign off" points to the pending approve_deal_pricing (signing is a decision with its buttons,
 * under the approver allow-list); anything else explains the exception.
 */
export async function answerMarginException(instruction: OperatorInstruction, signal: Record<string, unknown>, context: BotContext): Promise<string> {
  const payload = marginException.schema.parse(signal['payload']);
  const name = payload.deal ?? payload.deal_id;
  const pending = (await listApprovals(context.db, { bot: context.bot, status: 'pending' })).find(
    (approval) => approval.action === approveDealPricing.name && approveDealPricing.draft.safeParse(approval.draft).data?.deal_id === payload.deal_id,
  );
  const draft = pending === undefined ? undefined : approveDealPricing.draft.parse(pending.draft);
  if (FLOOR.test(instruction.text)) {
    if (draft === undefined)
      return `${name}: no pricing sign-off is pending, so its lines were already signed off or repriced; discount-guard (11:30) checks again`;
    const lines = await context.connectors.crm.listDealLineItems([payload.deal_id]);
    const quantity = new Map(lines.map((line) => [line.sku, line.quantity]));
    const uplift = draft.lines.reduce((sum, line) => sum + Math.max(0, line.floor_price - line.unit_price) * (quantity.get(line.sku) ?? 0), 0);
    return `${name} at the floor: ${draft.lines
      .map((line) => `${line.sku} ${money(line.floor_price)} (now ${money(line.unit_price)}, list ${money(line.list_price)})`)
      .join('; ')} — ${money(uplift)} more on the deal. Tell the rep to counter at these prices, or approve "${pending?.title ?? ''}" to keep today's price.`;
  }
  if (SIGN_OFF.test(instruction.text))
    return draft === undefined
      ? `${name}: no pricing sign-off is pending (already decided)`
      : `approve "${pending?.title ?? ''}" (approval ${pending?.id.slice(0, 8) ?? ''}) with its button in ${context.channel.target} or on Telegram: it needs ${draft.tier === 'cfo' ? 'the CFO group' : 'finance'}, and records pricing_approved on the deal once`;
  return `${name} (${money(payload.amount)}) is priced below the floor: ${payload.lines
    .map((line) => `${line.sku} at ${money(line.price)} (${line.discount_pct}% off list)`)
    .join(
      '; ',
    )}, lowest margin ${payload.min_margin_pct ?? 'unknown'}%. Reply "floor" for the prices that need no sign-off, or "approve" for the pending sign-off.`;
}
