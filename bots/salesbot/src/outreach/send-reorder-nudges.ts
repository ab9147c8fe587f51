import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { accountEmail, sendAccountEmails, type AccountEmailsResult } from './account-emails.js';

const nudgesDraft = z.object({
  /** reorder: late to reorder against the account's own rhythm; clearance: an expiring lot offered at a discount. */
  kind: z.enum(['reorder', 'clearance']),
  emails: z.array(accountEmail).min(1),
  note: z.string().optional(),
});

/** The approval draft: each nudge exactly as it will be sent. */
export type ReorderNudgesDraft = z.input<typeof nudgesDraft>;

/** `send_reorder_nudges`: emails from the rep to wholesale buyers (reorder nudges, clearance offers), each sent and logged once. */
export const sendReorderNudges = defineAction({
  name: 'send_reorder_nudges',
  draft: nudgesDraft,
  async execute(draft, context): Promise<AccountEmailsResult> {
    return sendAccountEmails(draft.emails, context, `nudge:${draft.kind}`, draft.kind === 'clearance' ? 'clearance offer' : 'reorder nudge');
  },
});
