import { z } from 'zod';
import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { RegisteredPurchaseOrder, Supplier } from '@jbot/connectors';
import { sendSupplierChasers, type SupplierChasersDraft } from '../actions/send-supplier-chasers.js';
import { businessDaysBetween, daysBetween, localDay, plural } from '../company-day.js';
import { structuredOrTemplate, unlessModelInputUnchanged } from '../model-input.js';

/** The catalogue's thresholds: chase after 3 business days unacknowledged; a slip is ≥ 5 days. */
export const poConfirmationsSettings = envSettings({
  PO_ACK_BUSINESS_DAYS: envInteger(3, 1, 30),
  PO_SLIP_DAYS: envInteger(5, 1, 120),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type PoConfirmationsConfig = ReturnType<typeof poConfirmationsSettings.load>;

/** One PO finding: unacknowledged, slipped, or ready without a booking. */
export interface PoFinding {
  kind: 'unacknowledged' | 'slipped' | 'ready_unbooked';
  po_id: string;
  supplier_id: string;
  supplier: string;
  skus: Array<{ sku: string; qty: number }>;
  detail: string;
  /** Unacknowledged: business days since sent. Slipped: days later. Unbooked: days since ready. */
  days: number;
  old_ready_date?: string;
  new_ready_date?: string;
}

const skusOf = (order: RegisteredPurchaseOrder) => order.lines.map((line) => ({ sku: line.sku, qty: line.quantity }));

/**
 * The catalogue's rules over open POs: sent at least PO_ACK_BUSINESS_DAYS business days ago with no
 * acknowledgement; confirmed ready date PO_SLIP_DAYS or more after the original; the ready date
 * passed with no forwarder booking.
 */
export function findPoFindings(
  orders: readonly RegisteredPurchaseOrder[],
  suppliers: readonly Supplier[],
  today: string,
  config: PoConfirmationsConfig,
  zone: string,
): PoFinding[] {
  const names = new Map(suppliers.map((supplier) => [supplier.id, supplier.name]));
  const findings: PoFinding[] = [];
  for (const order of orders) {
    if (order.status !== 'open') continue;
    const supplier = names.get(order.supplierId) ?? order.supplierId;
    const base = { po_id: order.id, supplier_id: order.supplierId, supplier, skus: skusOf(order) };
    if (order.acknowledgedAt === null) {
      const age = businessDaysBetween(localDay(new Date(order.sentAt), zone), today);
      if (age >= config.PO_ACK_BUSINESS_DAYS)
        findings.push({ ...base, kind: 'unacknowledged', days: age, detail: `sent ${age} business days ago, not acknowledged` });
      continue;
    }
    if (order.readyDateOriginal !== null && order.readyDateConfirmed !== null) {
      const slip = daysBetween(order.readyDateOriginal, order.readyDateConfirmed);
      if (slip >= config.PO_SLIP_DAYS)
        findings.push({
          ...base,
          kind: 'slipped',
          days: slip,
          old_ready_date: order.readyDateOriginal,
          new_ready_date: order.readyDateConfirmed,
          detail: `cargo-ready date moved ${slip} days, ${order.readyDateOriginal} → ${order.readyDateConfirmed}`,
        });
    }
    const ready = order.readyDateConfirmed ?? order.readyDateOriginal;
    if (ready !== null && ready < today && !order.booked)
      findings.push({
        ...base,
        kind: 'ready_unbooked',
        days: daysBetween(ready, today),
        detail: `ready since ${ready} (${daysBetween(ready, today)} days) with no forwarder booking`,
      });
  }
  const order = { slipped: 0, unacknowledged: 1, ready_unbooked: 2 } as const;
  return findings.sort((left, right) => order[left.kind] - order[right.kind] || left.po_id.localeCompare(right.po_id));
}

const LABEL: Record<PoFinding['kind'], string> = { slipped: 'Slipped', unacknowledged: 'Not acknowledged', ready_unbooked: '⚠ Ready, not booked' };

/** The #ops-bot post: findings grouped by kind. */
export function poMessage(findings: readonly PoFinding[]): string {
  const lines: string[] = [];
  for (const kind of ['slipped', 'unacknowledged', 'ready_unbooked'] as const) {
    const group = findings.filter((finding) => finding.kind === kind);
    if (group.length === 0) continue;
    lines.push(
      `**${LABEL[kind]}**`,
      ...group.map(
        (finding) => `• ${finding.po_id} ${finding.supplier} (${finding.skus.map((sku) => `${sku.sku} × ${sku.qty}`).join(', ')}): ${finding.detail}`,
      ),
    );
  }
  if (findings.some((finding) => finding.kind === 'unacknowledged'))
    lines.push('', 'Approve to send the chasers below in each supplier’s language (send_supplier_chasers).');
  return lines.join('\n');
}

const chaserSchema = z.object({
  chasers: z.array(z.object({ supplier_id: z.string(), subject: z.string().min(3).max(200), body: z.string().min(20).max(2000) })),
});

const SYSTEM = [
  "You write short, courteous purchase-order chasers from a US consumer-goods company's purchasing team to its overseas suppliers.",
  "Write each chaser in the supplier's language (ISO code given), with the PO numbers, SKUs and quantities exactly as given, asking the supplier to acknowledge each PO and confirm its cargo-ready date.",
  'Sign as "Harbor & Pine purchasing". Return JSON only: {"chasers": [{"supplier_id": string, "subject": string, "body": string}]}, one per supplier given.',
].join(' ');

// Labelled templates when there is no model: English, with the greeting in the supplier's language.
const GREETING: Record<string, string> = { zh: '您好', vi: 'Xin chào', pt: 'Olá', es: 'Hola', fr: 'Bonjour', de: 'Guten Tag', en: 'Hello' };

function templateChaser(supplier: Supplier, findings: readonly PoFinding[]) {
  const list = findings
    .map((finding) => `- ${finding.po_id}: ${finding.skus.map((sku) => `${sku.sku} × ${sku.qty}`).join(', ')} (${finding.detail})`)
    .join('\n');
  return {
    supplier_id: supplier.id,
    subject: `PO acknowledgement needed: ${findings.map((finding) => finding.po_id).join(', ')}`,
    body: `${GREETING[supplier.language] ?? 'Hello'},\n\nWe have not yet received your acknowledgement of:\n${list}\n\nPlease confirm each PO and its cargo-ready date.\n\nThank you,\nHarbor & Pine purchasing\n\n[template draft: no model configured, written in English]`,
  };
}

/**
 * Run po-confirmations once: post the findings when they changed, one `po_slip` alert per slipped PO
 * (once per new ready date), and — only when the set of unacknowledged POs changed — one fast-tier
 * call drafting the chasers in each supplier's language, asked as `send_supplier_chasers`.
 */
export async function runPoConfirmations(context: BotContext & JobRunInfo, config: PoConfirmationsConfig, now = new Date()) {
  const today = localDay(now, config.FLEET_TZ);
  const [orders, suppliers] = await Promise.all([context.connectors.procurement.listPurchaseOrders(), context.connectors.procurement.listSuppliers()]);
  const findings = findPoFindings(orders, suppliers, today, config, config.FLEET_TZ);
  const outcome = await reportFindings(context, {
    findings,
    noun: 'PO finding',
    message: (all) => ({ kind: 'note', title: `PO confirmations: ${plural(all.length, 'purchase order')} need attention`, text: poMessage(all) }),
    nothingLine: 'Every open PO is acknowledged, no ready date slipped, and every ready PO is booked.',
  });
  let slips = 0;
  for (const finding of findings.filter((candidate) => candidate.kind === 'slipped')) {
    const emitted = await context.signals.emit(
      'po_slip',
      {
        po_id: finding.po_id,
        supplier: finding.supplier,
        skus: finding.skus,
        old_ready_date: finding.old_ready_date ?? today,
        new_ready_date: finding.new_ready_date ?? today,
        slip_days: finding.days,
      },
      { dedupeKey: `po_slip:${finding.po_id}:${finding.new_ready_date ?? ''}`, dedupeWindowMs: 30 * 86_400_000 },
    );
    if (!emitted.deduplicated) slips += 1;
  }
  const unacknowledged = findings.filter((finding) => finding.kind === 'unacknowledged');
  const bySupplier = new Map<string, PoFinding[]>();
  for (const finding of unacknowledged) bySupplier.set(finding.supplier_id, [...(bySupplier.get(finding.supplier_id) ?? []), finding]);
  const supplierById = new Map(suppliers.map((supplier) => [supplier.id, supplier]));
  const input = [...bySupplier].map(([supplierId, group]) => ({
    supplierId,
    language: supplierById.get(supplierId)?.language ?? 'en',
    pos: group.map((finding) => [finding.po_id, finding.skus]),
  }));
  let approvalId: string | null = null;
  let modelSkipped = false;
  let offline = false;
  let modelInput = fingerprintOf(input);
  if (bySupplier.size > 0) {
    const drafted = await unlessModelInputUnchanged(context, input, async () => {
      const targets = [...bySupplier].flatMap(([supplierId, group]) => {
        const supplier = supplierById.get(supplierId);
        return supplier === undefined ? [] : [{ supplier, group }];
      });
      return structuredOrTemplate(context, {
        tier: 'fast',
        system: SYSTEM,
        prompt: `Write one chaser per supplier:\n${targets
          .map(
            ({ supplier, group }) =>
              `supplier_id ${supplier.id} (${supplier.name}, language ${supplier.language}): ${group.map((finding) => `${finding.po_id} [${finding.skus.map((sku) => `${sku.sku} × ${sku.qty}`).join(', ')}] sent ${finding.days} business days ago`).join('; ')}`,
          )
          .join('\n')}`,
        schema: chaserSchema,
        maxTokens: 400 * targets.length + 100,
        offline: () => ({ chasers: targets.map(({ supplier, group }) => templateChaser(supplier, group)) }),
      });
    });
    modelInput = drafted.modelInput;
    modelSkipped = drafted.skipped;
    if (!drafted.skipped) {
      offline = drafted.value.offline;
      const bodies = new Map(drafted.value.value.chasers.map((chaser) => [chaser.supplier_id, chaser]));
      const chasers: SupplierChasersDraft['chasers'] = [];
      for (const [supplierId, group] of bySupplier) {
        const supplier = supplierById.get(supplierId);
        if (supplier === undefined) continue;
        const text = bodies.get(supplierId) ?? templateChaser(supplier, group);
        chasers.push({
          supplier_id: supplierId,
          supplier: supplier.name,
          to: supplier.email,
          language: supplier.language,
          po_ids: group.map((finding) => finding.po_id),
          subject: text.subject,
          body: text.body,
        });
      }
      if (chasers.length > 0) {
        const { approval } = await context.approvals.request({
          action: sendSupplierChasers,
          title: `Chase ${plural(unacknowledged.length, 'unacknowledged PO')} at ${plural(chasers.length, 'supplier')}${offline ? ' (template drafts)' : ''}`,
          draft: { chasers },
          requestKey: `send_supplier_chasers:${modelInput}`,
        });
        approvalId = approval.id;
      }
    }
  }
  return { outcome, result: { findings, slips, approvalId, modelSkipped, modelInput, offline } };
}

/** opsbot's PO confirmations: weekdays 09:00 (FLEET_TZ). */
export const poConfirmations = defineJob({
  id: 'po-confirmations',
  schedule: '0 9 * * 1-5',
  description: 'POs not acknowledged in 3 business days → chasers in the supplier’s language (approval); ready dates slipped ≥ 5 days → po_slip',
  timeoutMs: 180_000,
  missed: 'once',
  settings: poConfirmationsSettings,
  async run(context) {
    const { outcome, result } = await runPoConfirmations(context, context.config);
    const extra = [
      result.slips > 0 ? `${plural(result.slips, 'po_slip alert')}` : null,
      result.approvalId !== null ? 'chasers asked' : result.modelSkipped ? 'chasers unchanged (model skipped)' : null,
    ].filter((part) => part !== null);
    return jobOutcome(`${outcome.outcome}${extra.length === 0 ? '' : `; ${extra.join(', ')}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, slips: result.slips, approvalId: result.approvalId, modelInput: result.modelInput },
    });
  },
});
