import type { BotContext, Signal } from '@jbot/core';
import { sendVendorClaim } from '../actions/send-vendor-claim.js';

// Return reasons and review topics that are the supplier's to answer for: defects and damage,
// not sizing or "not as described" (those are contentbot's copy fixes).
const SUPPLIER_FAULT = /\b(defect\w*|damag\w*|broke\w*|crack\w*|leak\w*|shatter\w*|tunnel\w*|quality|faulty|mold\w*|mould\w*)\b/i;

/** Is this return reason or review topic a product defect or damage (the supplier's)? */
export function isSupplierFault(text: string | null): boolean {
  return text !== null && SUPPLIER_FAULT.test(text.replace(/_/g, ' '));
}

/**
 * A quality problem on one SKU (a return-rate spike, a review topic) → a claim letter to the SKU's
 * supplier for approval (`send_vendor_claim`, kind quality), once per SKU and ISO week.
 */
export async function draftQualityClaim(
  context: BotContext,
  signal: Signal,
  facts: { sku: string; evidence: string[]; source: string },
): Promise<{ approvalId: string; created: boolean } | null> {
  const [supply, suppliers] = await Promise.all([context.connectors.supply.listSupplyFacts(), context.connectors.procurement.listSuppliers()]);
  const supplierId = supply.find((fact) => fact.sku === facts.sku)?.supplierId;
  const supplier = suppliers.find((candidate) => candidate.id === supplierId);
  if (supplier === undefined) {
    await context.channel.post({
      kind: 'note',
      title: `Quality ${facts.sku}: no supplier on record`,
      text: `${facts.source} on ${facts.sku}, but no supplier supplies it in the register: nothing claimed.`,
    });
    return null;
  }
  const raised = new Date(signal.createdAt);
  const week = `${raised.getUTCFullYear()}-${Math.ceil((Math.floor((raised.getTime() - Date.UTC(raised.getUTCFullYear(), 0, 1)) / 86_400_000) + 1) / 7)}`;
  const { approval, created } = await context.approvals.request({
    action: sendVendorClaim,
    title: `Quality claim to ${supplier.name}: ${facts.sku} (${facts.source})`,
    draft: {
      supplier_id: supplier.id,
      supplier: supplier.name,
      to: supplier.email,
      reference: `${facts.sku} quality`,
      kind: 'quality',
      evidence: facts.evidence,
      claim_usd: 0,
      subject: `Quality claim: ${facts.sku}`,
      body: `Dear ${supplier.name},\n\nOur customers report a quality problem with ${facts.sku}:\n${facts.evidence.map((line) => `- ${line}`).join('\n')}\n\nPlease investigate the root cause, tell us which lots are affected, and propose a credit for the returned units within 14 days.\n\nHarbor & Pine operations`,
    },
    requestKey: `send_vendor_claim:quality:${facts.sku}:${week}`,
  });
  return { approvalId: approval.id, created };
}
