import type { BotContext, SignalHandlerOf } from '@jbot/core';
import { draftQualityClaim, isSupplierFault } from './quality-claim.js';

/** `return_rate_spike` whose top reason is a defect or damage → a quality claim to the supplier. */
export const claimOnReturnSpike: SignalHandlerOf<'return_rate_spike', BotContext> = async (signal, context) => {
  const payload = signal.payload;
  if (!isSupplierFault(payload.top_reason)) return;
  await draftQualityClaim(context, signal, {
    sku: payload.sku,
    source: `returns ${Math.round(payload.rate_30d * 1000) / 10}% vs ${Math.round(payload.baseline_90d * 1000) / 10}% baseline`,
    evidence: [
      `30-day return rate ${(payload.rate_30d * 100).toFixed(1)}% against a 90-day baseline of ${(payload.baseline_90d * 100).toFixed(1)}%`,
      `top return reason "${payload.top_reason}" (${Math.round(payload.share * 100)}% of returns)`,
    ],
  });
};

/** `review_topic_alert` on a defect or damage topic → a quality claim to the supplier. */
export const claimOnReviewTopic: SignalHandlerOf<'review_topic_alert', BotContext> = async (signal, context) => {
  const payload = signal.payload;
  if (!isSupplierFault(payload.topic)) return;
  await draftQualityClaim(context, signal, {
    sku: payload.sku,
    source: `review topic "${payload.topic ?? ''}"`,
    evidence: [
      `reviews of ${payload.asin}: "${payload.topic ?? ''}"${payload.share === null ? '' : ` in ${Math.round(payload.share * 100)}% of mentions`}${payload.change_pts === null ? '' : ` (+${payload.change_pts} pts)`}`,
      ...(payload.rating_change === null ? [] : [`star rating ${payload.rating_change >= 0 ? '+' : ''}${payload.rating_change} in 30 days`]),
    ],
  });
};
