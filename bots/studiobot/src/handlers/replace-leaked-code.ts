import type { SignalHandlerOf } from '@jbot/core';
import { sendCreatorReminders } from '../actions/send-creator-reminders.js';
import { listCollaborations } from '../brain/creator-book.js';
import { brandOf } from '../brands.js';

/** The replacement for a leaked code: same stem, the next number ("SALTMARSH20" → "SALTMARSH21"). */
export function replacementCode(code: string, taken: ReadonlySet<string>): string {
  const match = /^(.*?)(\d+)$/.exec(code);
  const stem = match?.[1] ?? code;
  let number = Number(match?.[2] ?? 0);
  let candidate: string;
  do {
    number += 1;
    candidate = `${stem}${number}`;
  } while (taken.has(candidate));
  return candidate;
}

/**
 * discount_leak (mktgbot) → studiobot: when the leaked code is a creator's, draft the note that
 * tells them and hands them a new code (send_creator_reminders with new_code; the brain's code
 * moves only once the message is sent). Keyed by the code, so a redelivery or the next day's
 * repeat finds the approval already asked. A code no collaboration owns is not studiobot's.
 */
export const replaceLeakedCode: SignalHandlerOf<'discount_leak'> = async (signal, context) => {
  const leak = signal.payload;
  const collabs = await listCollaborations(context.db);
  const collab = collabs.find((candidate) => candidate.discountCode?.toUpperCase() === leak.code.toUpperCase() && candidate.status !== 'cancelled');
  if (collab === undefined) {
    context.log.info({ code: leak.code, creator: leak.creator }, 'leaked code belongs to no creator collaboration; nothing for studiobot to do');
    return;
  }
  const newCode = replacementCode(
    collab.discountCode ?? leak.code,
    new Set(collabs.flatMap((candidate) => (candidate.discountCode === null ? [] : [candidate.discountCode]))),
  );
  const { approval, created } = await context.approvals.request({
    action: sendCreatorReminders,
    title: `Tell @${collab.creator} their code ${leak.code} leaked and give them ${newCode}`,
    draft: {
      messages: [
        {
          recipient: collab.creator,
          collab_id: collab.collabId,
          new_code: newCode,
          body: `Hi @${collab.creator}! Your ${brandOf(collab.brand).name} code ${leak.code} has been picked up by coupon sites (${leak.redemptions_today} uses today), so we are retiring it. Your new code is ${newCode}: please swap it into your bio and any live posts. Your earlier sales still count. Thank you!`,
        },
      ],
    },
    requestKey: `discount-leak:${leak.code.toUpperCase()}`,
    signalId: signal.id,
  });
  context.log.info({ code: leak.code, creator: collab.creator, approvalId: approval.id, created }, 'new creator code drafted for a leaked code');
};
