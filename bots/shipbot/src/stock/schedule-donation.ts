import { z } from 'zod';
import { defineAction } from '@jbot/core';

const donationDraft = z.object({
  partner: z.string().min(1),
  lines: z
    .array(z.object({ sku: z.string().min(1), lot: z.string().min(1), location: z.string().min(1), qty: z.number().int().positive(), expiry: z.iso.date() }))
    .min(1),
});

/** The approval draft for schedule_donation: the lots exactly as the 3PL will pick them. */
export type DonationDraft = z.input<typeof donationDraft>;

/**
 * `schedule_donation`: drop a donation order file for the 3PL (the lots to pick and release to
 * the food bank). The file is named by the approval's key, so a retry never drops a second one.
 */
export const scheduleDonation = defineAction({
  name: 'schedule_donation',
  draft: donationDraft,
  async execute(draft, context) {
    const file = await context.connectors.warehouse.sendDonationOrder({
      partner: draft.partner,
      lines: draft.lines.map((line) => ({ sku: line.sku, lot: line.lot, location: line.location, qty: line.qty })),
      idempotencyKey: context.idempotencyKey,
    });
    const units = draft.lines.reduce((sum, line) => sum + line.qty, 0);
    return { summary: `${file.created ? 'sent' : 'already sent'} donation order ${file.fileName} to the 3PL: ${units} units for ${draft.partner}`, ...file };
  },
});
