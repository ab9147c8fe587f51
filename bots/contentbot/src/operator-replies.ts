import { getApproval, type BotContext, type OperatorInstruction } from '@jbot/core';
import { amazonListingSuppressed, buyBoxLost, reviewTopicAlert, seoRegression, siteSpeedRegression } from './signals.js';

// "fix it", "draft copy", "rewrite": the operator wants the copy worked on.
const WORK_ON_IT = /\b(fix|draft|rewrite|copy|update|patch|improve|queue)\b/i;

/**
 * contentbot's answer to the operator's reply on one of its escalations. Every answer reads the
 * world again, so "is it still bad?" has an answer: a suppressed listing's status and issues now
 * and its patch_listing; the Buy Box holder now; a regressed page's worst queries; a slow page's
 * last checks. "fix"/"draft" on a review topic or a product page's search drop queues the SKU for
 * product-copy-gaps, which drafts it first on its next run.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null)
    return 'reply to one of my alerts (a suppressed listing, a lost Buy Box, a search or speed drop, a review topic) and I will explain it or act on it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  const type = signal['signal_type'];
  if (type === amazonListingSuppressed.type) return answerSuppressed(amazonListingSuppressed.schema.parse(signal['payload']), context);
  if (type === buyBoxLost.type) return answerBuyBox(buyBoxLost.schema.parse(signal['payload']), context);
  if (type === seoRegression.type) return answerSeo(seoRegression.schema.parse(signal['payload']), instruction, context);
  if (type === siteSpeedRegression.type) return answerSpeed(siteSpeedRegression.schema.parse(signal['payload']), context);
  if (type === reviewTopicAlert.type) return answerReviews(reviewTopicAlert.schema.parse(signal['payload']), instruction, context);
  return `noted — ${String(type)} (${String(signal['severity'])}): ${JSON.stringify(signal['payload']).slice(0, 400)}`;
}

async function answerSuppressed(payload: ReturnType<typeof amazonListingSuppressed.schema.parse>, context: BotContext): Promise<string> {
  const listing = (await context.connectors.marketplace.listListings()).find((candidate) => candidate.sku === payload.sku);
  const now =
    listing === undefined
      ? 'it is no longer among our listings'
      : listing.statuses.includes('BUYABLE') && listing.statuses.includes('DISCOVERABLE') && listing.issues.length === 0
        ? 'it is buyable and discoverable again, with no issues'
        : `now ${listing.statuses.length === 0 ? 'neither buyable nor discoverable' : listing.statuses.join(' + ')}; issues: ${listing.issues.map((issue) => `${issue.code} ${issue.message}`).join('; ') || 'none'}`;
  const approval = payload.approval_id === null || payload.approval_id === undefined ? null : await getApproval(context.db, payload.approval_id);
  const fix =
    approval === null
      ? 'No automatic fix: the issue names no attribute we can set, so it needs Seller Central.'
      : `The fix is approval ${approval.id.slice(0, 8)} "${approval.title}", ${approval.status}${approval.status === 'pending' ? ': approve it to patch the listing' : ''}.`;
  return `${payload.sku} (${payload.asin}): ${now}. ${fix}`;
}

async function answerBuyBox(payload: ReturnType<typeof buyBoxLost.schema.parse>, context: BotContext): Promise<string> {
  const [summary] = await context.connectors.marketplace.getCompetitiveSummaries([payload.asin]);
  const featured = summary?.featuredOffer ?? null;
  const now =
    featured === null
      ? `no featured offer right now (Competitive Price ${summary?.competitivePrice ?? '?'}, ours ${payload.our_price ?? '?'}): lower our price to or under the Competitive Price to get it back`
      : featured.sellerId === context.connectors.marketplace.sellerId
        ? `we hold the Buy Box again at $${featured.price.toFixed(2)}`
        : `still held by ${featured.sellerId} at $${featured.price.toFixed(2)}`;
  const map =
    payload.below_map && payload.wholesale_account !== null && payload.wholesale_account !== undefined
      ? ` ${payload.wholesale_account} sells below our MAP of $${payload.map_price?.toFixed(2) ?? '?'}: salesbot drafts the MAP notice for approval.`
      : '';
  return `${payload.sku} (${payload.asin}): ${now}.${map}`;
}

async function answerSeo(payload: ReturnType<typeof seoRegression.schema.parse>, instruction: OperatorInstruction, context: BotContext): Promise<string> {
  const worst = payload.queries
    .slice(0, 3)
    .map((query) => `"${query.query}" ${query.clicks_prev_7d} → ${query.clicks_7d} clicks (position ${query.position})`)
    .join('; ');
  const why = `${payload.url}: clicks ${payload.clicks_prev_7d} → ${payload.clicks_7d}, position ${payload.position_change > 0 ? '+' : ''}${payload.position_change}. Worst queries: ${worst || 'none recorded'}.`;
  if (!WORK_ON_IT.test(instruction.text)) return `${why} Reply "fix the copy" and product-copy-gaps drafts this page first.`;
  const product = (await context.connectors.storefront.listProductContent()).find((candidate) => `/products/${candidate.handle}` === payload.url);
  if (product === undefined)
    return `${why} It is not a product page, so product-copy-gaps cannot draft it; update the page's intro copy for these queries by hand.`;
  await context.db.rpc('enqueue_copy_work', { p_sku: product.sku, p_reason: `search drop on ${payload.url}`, p_source: `operator:${instruction.senderId}` });
  return `${why} Queued ${product.sku} for product-copy-gaps: its next run drafts new copy for approval first.`;
}

async function answerSpeed(payload: ReturnType<typeof siteSpeedRegression.schema.parse>, context: BotContext): Promise<string> {
  const checks = await context.db.rpc('list_site_vitals_checks', { p_url: payload.url, p_limit: 8 });
  const trail = checks
    .map((check) => `${String(check['day']).slice(0, 10)} ${payload.metric === 'cls' ? String(check['cls']) : `${String(check[`${payload.metric}_ms`])} ms`}`)
    .join(', ');
  return `${payload.url} (${payload.template}) ${payload.metric.toUpperCase()} p75 ${payload.p75} against ${payload.threshold}. Last checks: ${trail || 'none'}. A jump on one day usually follows a theme or app change that day: check what was installed or edited then.`;
}

async function answerReviews(
  payload: ReturnType<typeof reviewTopicAlert.schema.parse>,
  instruction: OperatorInstruction,
  context: BotContext,
): Promise<string> {
  const topics = await context.connectors.marketplace.getReviewTopics(payload.asin);
  const negatives = topics.current
    .filter((topic) => topic.sentiment === 'negative')
    .sort((left, right) => right.share - left.share)
    .slice(0, 3)
    .map((topic) => `${topic.topic} ${topic.share}%${topic.topic in topics.priorShare ? ` (was ${topics.priorShare[topic.topic]}%)` : ' (new)'}`)
    .join('; ');
  const why = `${payload.sku}: ${payload.topic === null ? `rating ${payload.rating_change}` : `"${payload.topic}" at ${payload.share}% (+${payload.change_pts} pts)`}. Top complaints now: ${negatives || 'none'}.`;
  if (!WORK_ON_IT.test(instruction.text))
    return `${why} Reply "fix the copy" to queue ${payload.sku} for product-copy-gaps (expectation-setting copy); opsbot takes quality and damage up with the supplier.`;
  await context.db.rpc('enqueue_copy_work', {
    p_sku: payload.sku,
    p_reason: `review topic ${payload.topic ?? 'rating drop'}`,
    p_source: `operator:${instruction.senderId}`,
  });
  return `${why} Queued ${payload.sku} for product-copy-gaps: its next run drafts copy that sets expectations, for approval.`;
}
