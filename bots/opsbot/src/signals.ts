import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types opsbot introduces (see bots/salesbot/src/signals.ts for why they live here).

/** An inbound shipment is late against its promised ETA (the freight cascade). */
export const freightDelay = defineSignalType({
  type: 'freight_delay',
  description: 'An inbound shipment is late against its promised ETA',
  defaultSeverity: 'alert',
  schema: z.object({
    shipment_id: z.string().min(1),
    delay_days: z.number().int().positive(),
    supplier: z.string().optional(),
    origin: z.string().optional(),
    promised_eta: z.string().optional(),
    expected_eta: z.string().optional(),
    skus: z.array(z.string()).optional(),
  }),
});

const day = z.iso.date();

/** A container at the port is close to its Last Free Day with no pickup, or held (demurrage-watch). */
export const demurrageRisk = defineSignalType({
  type: 'demurrage_risk',
  description: 'A container is near its Last Free Day without a pickup appointment, or held with the LFD close',
  defaultSeverity: 'alert',
  schema: z.object({
    container: z.string().min(1),
    shipment_id: z.string().min(1),
    terminal: z.string().min(1),
    last_free_day: day,
    holds: z.array(z.string()),
    est_cost_per_day: z.number().nonnegative(),
  }),
});

/** A supplier moved a PO's confirmed cargo-ready date later by the slip threshold or more (po-confirmations). */
export const poSlip = defineSignalType({
  type: 'po_slip',
  description: "A supplier moved a purchase order's cargo-ready date later",
  defaultSeverity: 'alert',
  schema: z.object({
    po_id: z.string().min(1),
    supplier: z.string().min(1),
    skus: z.array(z.object({ sku: z.string().min(1), qty: z.number().int().positive() })),
    old_ready_date: day,
    new_ready_date: day,
    slip_days: z.number().int().positive(),
  }),
});

/** A supplier-side risk: news at their port or city, an FX move, a holiday, a rate spike, a poor scorecard. */
export const vendorRisk = defineSignalType({
  type: 'vendor_risk',
  description: 'A risk on the supplier side: local news, an FX move, a holiday closure, a freight-rate spike, or a poor scorecard',
  defaultSeverity: 'warning',
  schema: z.object({
    supplier_id: z.string().min(1),
    supplier: z.string().min(1),
    kind: z.enum(['news', 'fx', 'holiday', 'rate', 'scorecard']),
    detail: z.string().min(1),
    affected_pos: z.array(z.string()),
  }),
});

/** An arrival did not match its packing list: short, over or damaged lines (receiving-reconcile). */
export const receivingDiscrepancy = defineSignalType({
  type: 'receiving_discrepancy',
  description: 'An arrival was short, over or damaged against its PO and packing list',
  defaultSeverity: 'warning',
  schema: z.object({
    shipment_id: z.string().min(1),
    po_id: z.string().min(1),
    lines: z.array(z.object({ sku: z.string().min(1), expected: z.number().int(), received: z.number().int(), damaged: z.number().int().nonnegative() })),
  }),
});

/** Every type opsbot introduces. */
export const signalTypes = [freightDelay, demurrageRisk, poSlip, vendorRisk, receivingDiscrepancy];

declare module '@jbot/core' {
  interface SignalPayloads {
    freight_delay: z.output<typeof freightDelay.schema>;
    demurrage_risk: z.output<typeof demurrageRisk.schema>;
    po_slip: z.output<typeof poSlip.schema>;
    vendor_risk: z.output<typeof vendorRisk.schema>;
    receiving_discrepancy: z.output<typeof receivingDiscrepancy.schema>;
  }
}
