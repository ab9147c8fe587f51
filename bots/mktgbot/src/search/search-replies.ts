import { listApprovals, type BotContext, type OperatorInstruction, type Row } from '@jbot/core';
import { brandSearchLoss, conversionDrop, feedItemIssue, trackingBroken } from './search-signals.js';
import { openTrackingBreaks, TRACKING_RESTORED_KIND } from './tracking-hold.js';

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
// "fixed", "resolved", "it's back", "repaired" … clear a tracking hold; anything else is a question.
const RESOLVED = /\b(fixed|resolved|repaired|restored|it'?s back|working again|clear(ed)? (it|the hold))\b/i;

/**
 * mktgbot's answer to a reply on one of the tracking / site / feed / brand-search signals; null
 * for other signal types. A tracking break is explained, or — when the operator says it is
 * fixed — cleared, which lifts the hold on budget increases; the others are explained with their
 * figures and what to check, and brand search points at its pending budget approval.
 */
export async function answerSearchSignal(signal: Row, instruction: OperatorInstruction, context: BotContext): Promise<string | null> {
  const type = signal['signal_type'];
  if (type === trackingBroken.type) {
    const broken = trackingBroken.schema.parse(signal['payload']);
    if (RESOLVED.test(instruction.text)) {
      await context.signals.emit(
        'bot_note',
        {
          text: `Tracking on ${broken.platform} marked fixed by the operator; budget proposals resume`,
          detail: { kind: TRACKING_RESTORED_KIND, platform: broken.platform, by: instruction.senderId, signal_id: instruction.signalId },
        },
        { dedupeKey: `tracking_restored:${broken.platform}:operator:${instruction.operatorMessageId}` },
      );
      const still = await openTrackingBreaks(context.db);
      await context.channel.post({
        title: `Tracking on ${broken.platform} marked fixed`,
        text: `By the operator (${instruction.channel}). Budget increases ${still.length === 0 ? 'may be proposed again' : `stay held: still broken on ${still.map((item) => item.platform).join(', ')}`}.`,
        kind: 'note',
      });
      return `noted — ${broken.platform} tracking marked fixed; ${still.length === 0 ? 'budget increases may be proposed again' : `budget increases stay held (still broken: ${still.map((item) => item.platform).join(', ')})`}. Tomorrow's tracking-health run checks it against Shopify again.`;
    }
    return `tracking broken — ${broken.detail ?? `${broken.platform}: ratio ${broken.ratio_now} vs median ${broken.ratio_median} for ${broken.shopify_orders} Shopify orders`}. Budget increases are held while it is open; reply "fixed" once the tag is back.`;
  }
  if (type === conversionDrop.type) {
    const drop = conversionDrop.schema.parse(signal['payload']);
    if (drop.device === 'all')
      return `conversion drop — no orders in ${drop.window} (${drop.baseline_rate} the same hours last week). Open the store and place a test order on a phone and a desktop; check Shopify's status page and the last theme or app change.`;
    return `conversion drop — ${drop.device} checkout→purchase ${pct(drop.rate)} vs ${pct(drop.baseline_rate)} the same hours last week (${drop.sessions} sessions, ${drop.orders} orders, ${drop.window}). Test a ${drop.device} checkout end to end (payment buttons, checkout extensions) and roll back the last checkout change if it fails.`;
  }
  if (type === feedItemIssue.type) {
    const issue = feedItemIssue.schema.parse(signal['payload']);
    const items = issue.items.map((item) => `${item.sku} (${item.issue.replace(/_/g, ' ')})`).join(', ');
    return `feed issue — ${issue.feed}: ${pct(issue.error_share)} of items in error: ${items}. Missing GTINs and titles go to contentbot's copy queue; price and availability follow Shopify on the next feed fetch.`;
  }
  if (type === brandSearchLoss.type) {
    const loss = brandSearchLoss.schema.parse(signal['payload']);
    const pending = (await listApprovals(context.db, { status: 'pending', bot: 'mktgbot', limit: 200 })).find(
      (approval) => approval.action === 'adjust_campaign_budget' && (approval.draft as { campaign_id?: unknown }).campaign_id === loss.campaign_id,
    );
    const next =
      pending === undefined
        ? 'No budget change is pending for it (rank, not budget, or tracking is broken).'
        : `Approve ${pending.id} ("${pending.title}") to raise its budget.`;
    return `brand search — ${loss.campaign ?? loss.campaign_id}: impression share ${pct(loss.impression_share)}, lost to budget ${pct(loss.lost_budget)}, to rank ${pct(loss.lost_rank)}, top-of-page ${loss.top_is_change >= 0 ? '+' : ''}${loss.top_is_change} points (${(loss.reasons ?? []).join('; ')}). ${next}`;
  }
  return null;
}
