import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { accountEmail, sendAccountEmails, type AccountEmailsResult } from './account-emails.js';

const mapNoticeDraft = z.object({
  asin: z.string().min(1),
  sku: z.string().min(1),
  map_price: z.number().positive(),
  seen_price: z.number().positive(),
  notice: accountEmail,
});

/** The approval draft: the notice to the account selling below MAP. */
export type MapNoticeDraft = z.input<typeof mapNoticeDraft>;

/** `send_map_notice`: the MAP-policy notice to the wholesale account selling our ASIN below MAP, sent and logged once. */
export const sendMapNotice = defineAction({
  name: 'send_map_notice',
  draft: mapNoticeDraft,
  async execute(draft, context): Promise<AccountEmailsResult> {
    return sendAccountEmails([draft.notice], context, `map-notice:${draft.asin}`, 'MAP notice');
  },
});
