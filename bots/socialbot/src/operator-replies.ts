import { fingerprintOf, type BotContext, type OperatorInstruction } from '@jbot/core';
import { sendSocialReplies } from './actions/send-social-replies.js';
import { calendarGap, socialSentimentSpike } from './signals.js';

const REPLY = /\b(reply|respond|answer|apolog)/i;
const DRAFT = /\b(draft|fill|post|write)\b/i;

/**
 * socialbot's answer to the operator's reply on one of its escalations. A sentiment spike:
 * "reply" drafts one apology reply per negative comment of the window (an approval, never sent
 * unasked); anything else explains it. A launch-week calendar gap: "draft" runs post-drafts now.
 */
export async function answerOperator(instruction: OperatorInstruction, context: BotContext): Promise<string> {
  if (instruction.signalId === null) return 'reply to one of my alerts (a sentiment spike, a calendar gap) and I will explain it or act on it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  if (signal['signal_type'] === socialSentimentSpike.type) {
    const payload = socialSentimentSpike.schema.parse(signal['payload']);
    if (REPLY.test(instruction.text)) {
      const since = new Date(new Date(String(signal['created_at'])).getTime() - payload.window_minutes * 60_000);
      const items = (await context.connectors.social.listInbox({ since })).filter(
        (item) => item.postId === payload.post_id && item.kind === 'comment' && !item.replied,
      );
      const triage = new Map(
        (await context.db.rpc('list_social_triage', { p_item_ids: items.map((item) => item.id) })).map((row) => [String(row['item_id']), row]),
      );
      const negative = items.filter((item) => triage.get(item.id)?.['negative'] === true);
      if (negative.length === 0) return `the ${payload.negative_count} comments on ${payload.post_id} are answered already`;
      const text = `We're so sorry — this isn't the experience we want for you${payload.theme === undefined ? '' : ` (we're looking into the ${payload.theme} reports with our makers)`}. Please DM us your order number and we'll make it right.`;
      const { approval, created } = await context.approvals.request({
        action: sendSocialReplies,
        title: `Reply to ${negative.length} negative comment${negative.length === 1 ? '' : 's'} on ${payload.post_id}`,
        draft: {
          replies: negative.map((item) => ({
            item_id: item.id,
            kind: item.kind,
            platform: item.platform,
            author_id: item.authorId,
            quoted: item.text.slice(0, 200),
            text,
          })),
        },
        requestKey: `spike-replies:${payload.post_id}:${fingerprintOf(negative.map((item) => item.id))}`,
        signalId: instruction.signalId,
      });
      return `${created ? 'drafted' : 'already drafted'} ${negative.length} apology repl${negative.length === 1 ? 'y' : 'ies'} on ${payload.post_id} for approval (${approval.id.slice(0, 8)})`;
    }
    return `${payload.negative_count} negative comments in ${payload.window_minutes} min on ${payload.platform} post ${payload.post_id}${payload.theme === undefined ? '' : `, most about "${payload.theme}"`}: ${payload.sample_comments
      .slice(0, 3)
      .map((text) => `“${text.slice(0, 80)}”`)
      .join(' ')}. Reply "reply" and I will draft apologies for approval.`;
  }
  if (signal['signal_type'] === calendarGap.type) {
    const payload = calendarGap.schema.parse(signal['payload']);
    if (DRAFT.test(instruction.text)) {
      const [run] = await context.db.rpc<{ run_id: string }>('request_manual_run', {
        p_bot: context.bot,
        p_job: 'post-drafts',
        p_requested_by: `operator:${instruction.senderId}`,
      });
      return `drafting posts for the open slots now (post-drafts run ${run?.run_id ?? 'queued'}); they come as a schedule_social_posts approval`;
    }
    return `${payload.brand} ${payload.platform} has ${payload.scheduled} of ${payload.target} posts planned for the week of ${payload.week}${payload.launch === undefined ? '' : ` (${payload.launch})`}. Reply "draft" and I will draft the missing posts.`;
  }
  return `noted — ${String(signal['signal_type'])}: ${JSON.stringify(signal['payload']).slice(0, 300)}`;
}
