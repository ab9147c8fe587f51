import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { parseMailbox } from '../company-day.js';

const drayageDraft = z.object({
  container: z.string().min(1),
  shipment_id: z.string().min(1),
  terminal: z.string().min(1),
  port: z.string().min(1),
  last_free_day: z.iso.date(),
  trucker: z.string().min(3),
  /** The pickup asked for (ISO instant), before the last free day ends. */
  pickup_at: z.iso.datetime({ offset: true }),
  subject: z.string().min(1),
  body: z.string().min(1),
});

/** The approval draft: the pickup request exactly as the trucker receives it. */
export type DrayageDraft = z.input<typeof drayageDraft>;

/** What booking the drayage did, stored as the approval's result. */
export interface BookDrayageResult {
  summary: string;
  message_id: string;
  sent_now: boolean;
  appointment_recorded: boolean;
}

/**
 * `book_drayage`: email the trucker a pickup request (container, terminal, LFD) and note the
 * requested appointment on the terminal's record — both under the approval's idempotency key, so
 * a retry or a second opsbot sends one email and records one appointment.
 */
export const bookDrayage = defineAction({
  name: 'book_drayage',
  draft: drayageDraft,
  async execute(draft, context): Promise<BookDrayageResult> {
    const { procurement, containers } = context.connectors;
    const trucker = parseMailbox(draft.trucker);
    const sent = await procurement.sendMessage({
      idempotencyKey: `${context.idempotencyKey}:drayage:${draft.container}`,
      supplierId: null,
      kind: 'drayage',
      to: trucker.email,
      subject: draft.subject,
      body: draft.body,
      refs: { container: draft.container, shipment_id: draft.shipment_id, last_free_day: draft.last_free_day, pickup_at: draft.pickup_at },
    });
    const recorded = await containers.recordPickupRequest({
      idempotencyKey: `${context.idempotencyKey}:appointment:${draft.container}`,
      container: draft.container,
      appointmentAt: draft.pickup_at,
      trucker: trucker.name,
    });
    return {
      summary: `${sent.created ? 'asked' : 'already asked'} ${trucker.name} to pick up ${draft.container} at ${draft.terminal} before its LFD ${draft.last_free_day}`,
      message_id: sent.messageId,
      sent_now: sent.created,
      appointment_recorded: recorded.recorded,
    };
  },
});
