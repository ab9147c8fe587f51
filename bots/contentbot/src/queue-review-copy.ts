import type { SignalHandlerOf } from '@jbot/core';

/**
 * review_topic_alert → product-copy-gaps queue (catalogue handler): a complaint topic rising on a
 * SKU is often an expectation the copy sets wrong, so the SKU is drafted first on the next run
 * (with the topic as its trigger). Idempotent: one queue entry per SKU and reason.
 */
export const queueReviewCopy: SignalHandlerOf<'review_topic_alert'> = async (signal, context) => {
  const { sku, topic, rating_change } = signal.payload;
  const reason = `review topic ${topic ?? `rating ${rating_change ?? ''}`.trim()}`;
  await context.db.rpc('enqueue_copy_work', { p_sku: sku, p_reason: reason, p_source: `signal:${signal.id}` });
  context.log.info({ sku, reason }, `queued ${sku} for product-copy-gaps`);
};
