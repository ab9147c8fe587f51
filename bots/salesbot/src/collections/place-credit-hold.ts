import { z } from 'zod';
import { defineAction } from '@jbot/core';

const creditHoldDraft = z.object({
  account_id: z.string().min(1),
  account: z.string().min(1),
  reason: z.string().min(1),
  invoices: z.array(z.object({ id: z.string().min(1), number: z.string().min(1), amount: z.number(), days_past_due: z.number().int() })),
  total_overdue: z.number().nonnegative(),
});

/** The approval draft: the account and why it goes on hold. */
export type CreditHoldDraft = z.input<typeof creditHoldDraft>;

/** What placing the hold did. */
export interface PlaceCreditHoldResult {
  summary: string;
  applied_now: boolean;
  signal_id: string;
}

// A hold stays news for a month: a retried executor within it raises no second ar_overdue.
const HOLD_SIGNAL_WINDOW_MS = 30 * 86_400_000;

/**
 * `place_credit_hold`: the account goes on credit hold in the CRM (company property
 * credit_hold = true, with the reason), once per approval, and `ar_overdue` is raised with
 * credit_hold = true so shipbot holds the account's new wholesale fulfilments. A retry finds the
 * update applied and the signal raised (same dedupe key): nothing twice.
 */
export const placeCreditHold = defineAction({
  name: 'place_credit_hold',
  draft: creditHoldDraft,
  async execute(draft, context): Promise<PlaceCreditHoldResult> {
    const updated = await context.connectors.crm.updateCompany({
      companyId: draft.account_id,
      properties: { credit_hold: 'true', credit_hold_reason: draft.reason },
      idempotencyKey: `${context.idempotencyKey}:credit-hold:${draft.account_id}`,
    });
    const emitted = await context.signals.emit(
      'ar_overdue',
      {
        account_id: draft.account_id,
        account: draft.account,
        invoices: draft.invoices.map((invoice) => ({ id: invoice.number, amount: invoice.amount, days_past_due: invoice.days_past_due })),
        total_overdue: draft.total_overdue,
        credit_hold: true,
        reason: draft.reason,
      },
      { dedupeKey: `credit-hold:${context.approvalId}:${draft.account_id}`, dedupeWindowMs: HOLD_SIGNAL_WINDOW_MS },
    );
    return {
      summary: `${draft.account} is on credit hold${updated.applied ? '' : ' (already placed)'}; shipbot holds its new wholesale shipments`,
      applied_now: updated.applied,
      signal_id: emitted.id,
    };
  },
});
