import { listApprovals, type ContextWith, type OperatorInstruction } from '@jbot/core';
import { bookDrayage } from './actions/book-drayage.js';
import { requestExpedite } from './actions/request-expedite.js';
import { sendSupplierChasers } from './actions/send-supplier-chasers.js';
import { daysBetween, localDay } from './company-day.js';
import type { OpsbotConfig } from './opsbot-settings.js';
import { demurrageRisk, freightDelay, poSlip, receivingDiscrepancy, vendorRisk } from './signals.js';

// "expedite", "air freight it", "speed it up": the operator wants the late goods faster.
const EXPEDITE = /\b(expedite|air[- ]?freight|by air|speed (it|them) up|rush)\b/i;
// "book it", "book the truck", "schedule pickup": the operator wants the drayage booked.
const BOOK = /\b(book|schedule|pick ?up|dispatch)\b/i;
// "chase", "push them", "follow up": the operator wants the supplier chased.
const CHASE = /\b(chase|chaser|push|follow[- ]?up|remind)\b/i;

type Context = ContextWith<OpsbotConfig>;

type Answer = (instruction: OperatorInstruction, context: Context, payload: never, signalId: string) => Promise<string>;

/**
 * opsbot's answer to the operator's reply on one of its alerts. It reads the world again and says
 * where the finding stands now (the shipment's ETA, the container's LFD and pickup, the PO's
 * ready date, the supplier's open POs, the claim), and acts where asked: "expedite" drafts an
 * expedite request, "book" asks the drayage booking, "chase" drafts a chaser — each an approval,
 * asked once however often the reply is redelivered. Nothing is left unanswered.
 */
export async function answerOperator(instruction: OperatorInstruction, context: Context): Promise<string> {
  if (instruction.signalId === null)
    return 'reply to one of my alerts (a late shipment, a container near its LFD, a slipped PO, a supplier risk, a receiving discrepancy) and I will say where it stands or act on it';
  const [signal] = await context.db.rpc('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `signal ${instruction.signalId} is no longer in the brain; nothing to act on`;
  const type = String(signal['signal_type']);
  const answers: Record<string, { parse: (payload: unknown) => unknown; answer: Answer }> = {
    [freightDelay.type]: { parse: (payload) => freightDelay.schema.parse(payload), answer: answerFreightDelay as Answer },
    [demurrageRisk.type]: { parse: (payload) => demurrageRisk.schema.parse(payload), answer: answerDemurrage as Answer },
    [poSlip.type]: { parse: (payload) => poSlip.schema.parse(payload), answer: answerPoSlip as Answer },
    [vendorRisk.type]: { parse: (payload) => vendorRisk.schema.parse(payload), answer: answerVendorRisk as Answer },
    [receivingDiscrepancy.type]: { parse: (payload) => receivingDiscrepancy.schema.parse(payload), answer: answerReceiving as Answer },
  };
  const handler = answers[type];
  if (handler === undefined)
    return `noted — ${type} (${String(signal['severity'])}) is not one of my findings; ${JSON.stringify(signal['payload']).slice(0, 300)}`;
  return handler.answer(instruction, context, handler.parse(signal['payload']) as never, instruction.signalId);
}

async function answerFreightDelay(instruction: OperatorInstruction, context: Context, payload: ReturnType<typeof freightDelay.schema.parse>): Promise<string> {
  const shipment = (await context.connectors.freight.listShipments()).find((candidate) => candidate.id === payload.shipment_id);
  if (shipment === undefined) return `${payload.shipment_id} is no longer in the forwarder's feed; nothing to act on`;
  const now = `${shipment.id} ${shipment.status}${shipment.statusNote === null ? '' : ` (${shipment.statusNote})`}: expected ${shipment.expectedEta} against promised ${shipment.promisedEta}, ${shipment.delayDays} days late (was ${payload.delay_days} when raised)`;
  if (shipment.arrivedAt !== null) return `${now}; it has arrived (${shipment.arrivedAt.slice(0, 10)}), receiving-reconcile checks it against the packing list`;
  const skus = shipment.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ');
  if (!EXPEDITE.test(instruction.text))
    return `${now}. On board: ${skus}. Reply "expedite" and I draft a priority request to ${shipment.supplierName ?? 'the supplier'} for approval.`;
  const supplier = (await context.connectors.procurement.listSuppliers()).find((candidate) => candidate.id === shipment.supplierId);
  if (supplier === undefined)
    return `${now}; no supplier contact for ${shipment.supplierId ?? 'this shipment'} in the register, so there is nobody to send an expedite request to`;
  const first = shipment.lines[0];
  const { approval, created } = await context.approvals.request({
    action: requestExpedite,
    title: `Expedite ${shipment.id} (${shipment.delayDays} days late): priority discharge and fastest inland leg`,
    draft: {
      sku: first?.sku ?? 'mixed',
      supplier_id: supplier.id,
      supplier: supplier.name,
      to: supplier.email,
      target: { kind: 'shipment', id: shipment.id },
      quantity: shipment.lines.reduce((sum, line) => sum + line.quantity, 0),
      stockout_date: shipment.expectedEta,
      subject: `URGENT: ${shipment.id} is ${shipment.delayDays} days late`,
      body: `Dear ${supplier.name},\n\n${shipment.id} (${skus}) is now expected ${shipment.expectedEta}, ${shipment.delayDays} days after the promised ${shipment.promisedEta}. Please work with the carrier on priority discharge and the fastest inland leg, and tell us today which part could go by air.\n\nHarbor & Pine operations`,
    },
    requestKey: `request_expedite:shipment:${shipment.id}`,
  });
  return `${now}. ${created ? 'Drafted' : 'Already drafted'} the expedite request to ${supplier.name} for approval (${approval.id.slice(0, 8)}, ${approval.status})`;
}

async function answerDemurrage(instruction: OperatorInstruction, context: Context, payload: ReturnType<typeof demurrageRisk.schema.parse>): Promise<string> {
  const container = (await context.connectors.containers.listContainers()).find((candidate) => candidate.number === payload.container);
  if (container === undefined) return `${payload.container} is no longer tracked; nothing to act on`;
  const today = localDay(new Date(), context.config.FLEET_TZ);
  const lfd = container.lastFreeDay ?? payload.last_free_day;
  const state = `${container.number} at ${container.terminal}: ${container.status}, LFD ${lfd} (${daysBetween(today, lfd)} days)${container.holds.length === 0 ? '' : `, ${container.holds.join(' + ')} hold`}, pickup ${container.appointmentAt === null ? 'not booked' : `booked ${container.appointmentAt}`}`;
  if (container.status === 'picked_up' || container.status === 'returned') return `${state}: it has left the terminal, no demurrage risk now`;
  const [approval] = (await listApprovals(context.db, { bot: 'opsbot', limit: 200 })).filter(
    (candidate) => candidate.action === bookDrayage.name && (candidate.draft as { container?: string } | null)?.container === container.number,
  );
  if (container.holds.length > 0)
    return `${state}. It cannot be picked up until the hold clears: ask the customs broker for the release; each day past the LFD costs about $${payload.est_cost_per_day}.`;
  if (BOOK.test(instruction.text)) {
    if (approval === undefined) return `${state}. demurrage-watch asks the drayage booking on its next run; no request is open yet`;
    return `${state}. The drayage request is ${approval.status} (${approval.id.slice(0, 8)}): ${approval.status === 'pending' ? 'approve it in #ops-bot and the trucker is emailed once' : approval.status === 'executed' ? 'the trucker has it' : 'see fleet approvals'}`;
  }
  return `${state}; about $${payload.est_cost_per_day}/day after the LFD. ${approval === undefined ? '' : `Drayage request ${approval.id.slice(0, 8)} is ${approval.status}. `}Reply "book" to see or push the booking.`;
}

async function answerPoSlip(instruction: OperatorInstruction, context: Context, payload: ReturnType<typeof poSlip.schema.parse>): Promise<string> {
  const { procurement } = context.connectors;
  const [orders, suppliers] = await Promise.all([procurement.listPurchaseOrders(), procurement.listSuppliers()]);
  const order = orders.find((candidate) => candidate.id === payload.po_id);
  if (order === undefined) return `${payload.po_id} is no longer in the PO register`;
  const supplier = suppliers.find((candidate) => candidate.id === order.supplierId);
  const state = `${order.id} (${payload.supplier}): ready ${order.readyDateConfirmed ?? '?'} (first planned ${order.readyDateOriginal ?? '?'}), ${order.booked ? 'booked with the forwarder' : 'not booked yet'}; ${order.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ')}${order.note === null ? '' : `. Supplier's note: "${order.note.slice(0, 200)}"`}`;
  if (!CHASE.test(instruction.text) || supplier === undefined)
    return `${state}. shipbot re-projects the stockouts on the new date. Reply "chase" to draft a note asking ${payload.supplier} to recover the date.`;
  const { approval, created } = await context.approvals.request({
    action: sendSupplierChasers,
    title: `Ask ${supplier.name} to recover ${order.id}'s ready date`,
    draft: {
      chasers: [
        {
          supplier_id: supplier.id,
          supplier: supplier.name,
          to: supplier.email,
          language: supplier.language,
          po_ids: [order.id],
          subject: `${order.id}: can you recover the ready date?`,
          body: `Dear ${supplier.name},\n\n${order.id} moved from ${order.readyDateOriginal ?? '?'} to ${order.readyDateConfirmed ?? '?'}. Please tell us what it takes to recover the original date, or ship part of the order on time.\n\nHarbor & Pine purchasing`,
        },
      ],
    },
    requestKey: `send_supplier_chasers:slip:${order.id}:${order.readyDateConfirmed ?? ''}`,
  });
  return `${state}. ${created ? 'Drafted' : 'Already drafted'} a recovery request to ${supplier.name} for approval (${approval.id.slice(0, 8)})`;
}

async function answerVendorRisk(_instruction: OperatorInstruction, context: Context, payload: ReturnType<typeof vendorRisk.schema.parse>): Promise<string> {
  const orders = (await context.connectors.procurement.listPurchaseOrders()).filter(
    (order) => order.supplierId === payload.supplier_id && order.status === 'open',
  );
  const affected = orders.filter((order) => payload.affected_pos.includes(order.id));
  const next: Record<typeof payload.kind, string> = {
    news: 'ask the supplier whether the factory and its port are working, and watch the ready dates',
    fx: 'lock the rate with a forward for the open POs, or price the next PO in USD',
    holiday: 'ask the supplier to ship before the closure or confirm the date after it',
    rate: 'book the unbooked POs now, before the rate rises further',
    scorecard: 'raise it at the next business review; shipbot already carries extra safety stock on the lead-time spread',
  };
  return `${payload.supplier} (${payload.kind}): ${payload.detail}. ${
    affected.length === 0
      ? `No open PO is affected now (${orders.length} open)`
      : `Open POs affected: ${affected.map((order) => `${order.id} ready ${order.readyDateConfirmed ?? order.readyDateOriginal ?? '?'}${order.booked ? ' (booked)' : ''}`).join(', ')}`
  }. Next: ${next[payload.kind]}.`;
}

async function answerReceiving(
  _instruction: OperatorInstruction,
  context: Context,
  payload: ReturnType<typeof receivingDiscrepancy.schema.parse>,
): Promise<string> {
  const lines = payload.lines.map((line) => `${line.sku} ${line.received}/${line.expected}${line.damaged > 0 ? `, ${line.damaged} damaged` : ''}`).join('; ');
  const [claim] = (await listApprovals(context.db, { bot: 'opsbot', limit: 200 })).filter(
    (candidate) =>
      candidate.action === 'send_vendor_claim' &&
      (candidate.draft as { reference?: string } | null)?.reference?.startsWith(`${payload.shipment_id} /`) === true,
  );
  return `${payload.shipment_id} (${payload.po_id}): ${lines}. ${claim === undefined ? 'No claim drafted yet: receiving-reconcile drafts it on its next run.' : `Claim ${claim.id.slice(0, 8)} "${claim.title}" is ${claim.status}${claim.status === 'pending' ? ': approve it in #ops-bot to send it' : ''}.`} shipbot corrects the available stock.`;
}
