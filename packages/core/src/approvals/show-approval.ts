import type { Db } from '../db/db.js';
import type { Channel, PostedMessage } from '../channels/channel.js';
import type { Approval } from './approval.js';
import { approvalMessage } from './render-approval.js';
import { isFirstPostInFlight } from './first-posts-in-flight.js';

/**
 * Bring an approval's message on the channel up to date: post it if this channel has none yet
 * (the request crashed before posting), otherwise edit it. Showing a status is claimed in the
 * brain first (claim_approval_render), so of the requester, the worker and a second copy of the
 * bot exactly one shows it; a failure releases the claim and the next pass retries. Returns
 * null when someone else shows this status (or the approval has already moved on).
 */
export async function showApproval(db: Db, channel: Channel, approval: Approval): Promise<PostedMessage | null> {
  const [claim] = await db.rpc<{ claimed: boolean }>('claim_approval_render', { p_approval_id: approval.id, p_status: approval.status });
  if (claim?.claimed !== true) return null;
  try {
    const messages = await db.rpc<{ message_id: string; channel: string; target: string; external_message_id: string | null }>('approval_messages', {
      p_approval_id: approval.id,
    });
    const existing = messages.find((message) => message.channel === channel.kind && message.target === channel.target);
    const message = approvalMessage(approval);
    if (existing === undefined) {
      // The requester's first post is still on its way: it shows the current status once recorded.
      if (isFirstPostInFlight(approval.id)) {
        await db.rpc('release_approval_render', { p_approval_id: approval.id, p_status: approval.status });
        return null;
      }
      return await channel.post(message);
    }
    const posted: PostedMessage = {
      messageId: existing.message_id,
      channel: channel.kind,
      target: existing.target,
      externalMessageId: existing.external_message_id,
    };
    await channel.edit(posted, message);
    return posted;
  } catch (error) {
    await db.rpc('release_approval_render', { p_approval_id: approval.id, p_status: approval.status }).catch(() => {});
    throw error;
  }
}
