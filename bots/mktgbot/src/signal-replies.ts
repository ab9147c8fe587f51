import { listApprovals, type BotContext } from '@jbot/core';
import { discountLeak, launchAtRisk, promoRisk } from './signals.js';

/** The pending approval of an action whose draft names this object, if any. */
async function pendingFor(context: Pick<BotContext, 'db'>, action: string, matches: (draft: Record<string, unknown>) => boolean) {
  return (await listApprovals(context.db, { status: 'pending', bot: 'mktgbot', limit: 200 })).find(
    (approval) => approval.action === action && matches(approval.draft as Record<string, unknown>),
  );
}

/**
 * mktgbot's answer to a reply on a promotion, discount-code or launch escalation: the figures,
 * and the pending approval that fixes it (the decision stays with the approvers: a free-text
 * reply is not an approval). Null for a signal type this module does not own.
 */
export async function answerPromotionSignal(signal: Record<string, unknown>, context: Pick<BotContext, 'db' | 'channel'>): Promise<string | null> {
  const type = signal['signal_type'];
  if (type === promoRisk.type) {
    const risk = promoRisk.schema.parse(signal['payload']);
    const pending = await pendingFor(context, 'adjust_promotion', (draft) => draft['discount_id'] === risk.discount_id);
    const next =
      pending !== undefined
        ? `Approve ${pending.id} ("${pending.title}") to change it in Shopify.`
        : risk.risk === 'price_conflict'
          ? 'The promotion is right; fix the email (or hold it with klaviyo-send-guard) so it states the live offer.'
          : 'No adjustment is pending (already decided); run `fleet run mktgbot/promo-guard` to re-check.';
    const text = `${risk.risk.replace('_', ' ')} — ${risk.title ?? risk.discount_id} (${risk.skus.join(', ')}): ${risk.detail}. ${next}`;
    await context.channel.post({ title: `Operator asked about promotion "${risk.title ?? risk.discount_id}"`, text, kind: 'note' });
    return text;
  }
  if (type === discountLeak.type) {
    const leak = discountLeak.schema.parse(signal['payload']);
    const pending = await pendingFor(context, 'disable_discount_code', (draft) => draft['code'] === leak.code);
    const text = `discount leak — ${leak.code}${leak.creator === null ? '' : ` (${leak.creator})`}: ${leak.redemptions_today} redemptions in the last 24 h vs a median of ${leak.median}/day, ${(leak.coupon_share * 100).toFixed(0)}% referred by coupon sites. ${
      pending === undefined
        ? 'No disable is pending (already decided); run `fleet run mktgbot/discount-code-leak` to re-check.'
        : `Approve ${pending.id} ("${pending.title}") to deactivate it and issue the replacement.`
    }`;
    await context.channel.post({ title: `Operator asked about code ${leak.code}`, text, kind: 'note' });
    return text;
  }
  if (type === launchAtRisk.type) {
    const launch = launchAtRisk.schema.parse(signal['payload']);
    const byOwner = new Map<string, string[]>();
    for (const item of launch.missing) byOwner.set(item.owner_bot, [...(byOwner.get(item.owner_bot) ?? []), item.item]);
    const text = `launch at risk — ${launch.launch} on ${launch.date}: ${[...byOwner].map(([owner, items]) => `${owner}: ${items.join('; ')}`).join(' | ')}${
      launch.inventory_eta === null || launch.inventory_eta === undefined ? '' : `. Stock arrives ${launch.inventory_eta}`
    }. Each owner bot got the signal and drafts its piece; rerun \`fleet run mktgbot/launch-readiness\` to see the checklist now.`;
    await context.channel.post({ title: `Operator asked about launch "${launch.launch}"`, text, kind: 'note' });
    return text;
  }
  return null;
}
