import type { Db } from '../db/db.js';
import type { Channel, PostedMessage } from '../channels/channel.js';
import type { Approval } from './approval.js';
import { approvalMessage } from './render-approval.js';

/**
 * Bring an approval's message on the channel up to date: post it if this channel has none yet
 * (the request crashed before posting), otherwise edit it; then record what it shows. The
 * brain's rendered_status is the to-do list, so a bot that was down catches up on start.
 */
export async function showApproval(db: Db, channel: Channel, approval: Approval): Promise<PostedMessage> {
  const messages = await db.rpc<{ message_id: string; channel: string; target: string; external_message_id: string | null }>('approval_messages', { p_approval_id: approval.id });
  const existing = messages.find((message) => message.channel === channel.kind && message.target === channel.target);
  const message = approvalMessage(approval);
  let posted: PostedMessage;
  if (existing === undefined) {
    posted = await channel.post(message);
  } else {
    posted = { messageId: existing.message_id, channel: channel.kind, target: existing.target, externalMessageId: existing.external_message_id };
    await channel.edit(posted, message);
  }
  await db.rpc('mark_approval_rendered', { p_approval_id: approval.id, p_status: approval.status });
  return posted;
}
