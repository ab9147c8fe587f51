import { z } from 'zod';
import { defineAction } from '@jbot/core';

const audience = z.object({ id: z.string().min(1), name: z.string() });

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const createKlaviyoDraftDraft = z.object({
  entry_id: z.string().min(1),
  title: z.string().min(1),
  brand: z.string().nullable(),
  /** YYYY-MM-DD the calendar plans the send for. */
  send_date: z.iso.date(),
  /** ISO instant stored on the draft as its intended send time (nothing is scheduled). */
  send_at: z.string().min(1),
  /** The subject the draft gets; the other two are alternatives to test. */
  subject: z.string().min(1).max(150),
  subject_lines: z.array(z.string().min(1).max(150)).min(1).max(3),
  preview_text: z.string().max(200),
  html: z.string().min(1),
  included_audiences: z.array(audience).min(1),
  excluded_audiences: z.array(audience),
  offline: z.boolean().optional(),
  note: z.string().optional(),
});

/** The approval draft: the calendar entry and the email written for it. */
export type CreateKlaviyoDraftDraft = z.input<typeof createKlaviyoDraftDraft>;

/** The campaign name a draft gets: the calendar entry id in brackets links the two (calendarEntryOf reads it back). */
export const draftCampaignName = (entryId: string, title: string) => `[${entryId}] ${title}`;

/**
 * `create_klaviyo_draft`: the campaign and its template are created in Klaviyo as a draft —
 * nothing sends until a person schedules it there. Keyed by the approval's idempotency key, so a
 * retry or a second host creates it once.
 */
export const createKlaviyoDraft = defineAction({
  name: 'create_klaviyo_draft',
  draft: createKlaviyoDraftDraft,
  async execute(draft, context): Promise<{ summary: string; campaign_id: string; status: string; created: boolean }> {
    const result = await context.connectors.klaviyo.createCampaignDraft({
      idempotencyKey: `${context.idempotencyKey}:draft:${draft.entry_id}`,
      name: draftCampaignName(draft.entry_id, draft.title),
      brand: draft.brand,
      subject: draft.subject,
      previewText: draft.preview_text,
      html: draft.html,
      includedAudiences: draft.included_audiences,
      excludedAudiences: draft.excluded_audiences,
      sendAt: draft.send_at,
      calendarEntryId: draft.entry_id,
    });
    context.log.info({ campaignId: result.campaignId, created: result.created, entry: draft.entry_id }, 'Klaviyo draft created');
    return {
      summary: result.created
        ? `Klaviyo draft "${draft.title}" created (${result.campaignId}, ${result.status}): review and schedule it in Klaviyo for ${draft.send_date}`
        : `Klaviyo draft for "${draft.title}" already existed (${result.campaignId}); nothing changed`,
      campaign_id: result.campaignId,
      status: result.status,
      created: result.created,
    };
  },
});
