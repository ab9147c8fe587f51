import { envInteger, envSettings, type SignalHandlerOf } from '@jbot/core';
import { accountDeal } from '../collections/account-deal.js';
import { sendReorderNudges, type ReorderNudgesDraft } from './send-reorder-nudges.js';

/** The clearance offer's settings: the discount off wholesale, and how many accounts to offer it to. */
export const clearanceOfferSettings = envSettings({
  SALES_CLEARANCE_DISCOUNT_PCT: envInteger(25, 1, 90),
  SALES_CLEARANCE_MAX_ACCOUNTS: envInteger(5, 1, 50),
});

const YEAR_MS = 365 * 86_400_000;

/**
 * shipbot's `expiring_inventory`: a clearance offer of the lot to the wholesale accounts that buy
 * the SKU's brand (most units in the last year first), as one `send_reorder_nudges` approval
 * (kind clearance), keyed by the lot so a redelivered or repeated signal asks once.
 */
export const planClearanceOffer: SignalHandlerOf<'expiring_inventory'> = async (signal, context) => {
  const lot = signal.payload;
  // The bot's settings (parsed at start-up from the env), the catalogue defaults underneath.
  const settings = { ...clearanceOfferSettings.load({}), ...(context.config as Partial<ReturnType<typeof clearanceOfferSettings.load>>) };
  const requestKey = `clearance:${lot.sku}:${lot.lot}`;
  if ((await context.approvals.findByRequestKey(requestKey)) !== null) return;
  const brand = lot.sku.split('-')[0] ?? lot.sku;
  const orders = await context.connectors.commerce.listOrders({ since: new Date(Date.now() - YEAR_MS) });
  const units = new Map<string, { account: string; units: number }>();
  for (const order of orders) {
    if (order.channel !== 'wholesale' || order.accountId === null) continue;
    const bought = order.lines.filter((line) => line.sku.startsWith(`${brand}-`)).reduce((sum, line) => sum + line.quantity, 0);
    if (bought === 0) continue;
    const entry = units.get(order.accountId) ?? { account: order.customerName, units: 0 };
    entry.units += bought;
    units.set(order.accountId, entry);
  }
  const deals = await context.connectors.crm.listDeals();
  const emails: ReorderNudgesDraft['emails'] = [];
  for (const [accountId, entry] of [...units].sort((left, right) => right[1].units - left[1].units || left[1].account.localeCompare(right[1].account))) {
    if (emails.length >= settings.SALES_CLEARANCE_MAX_ACCOUNTS) break;
    const deal = accountDeal(deals, entry.account);
    if (deal?.contactEmail === null || deal?.contactEmail === undefined) continue;
    emails.push({
      account_id: accountId,
      account: entry.account,
      to: deal.contactEmail,
      subject: `${lot.sku}: ${settings.SALES_CLEARANCE_DISCOUNT_PCT}% off ${lot.units} units, best by ${lot.expiry}`,
      body: [
        `Hello ${deal.contactName ?? `${entry.account} team`},`,
        '',
        `We have ${lot.units} units of ${lot.sku} (lot ${lot.lot}, best by ${lot.expiry}) and can offer them at ${settings.SALES_CLEARANCE_DISCOUNT_PCT}% off your wholesale price while they last.`,
        'They sell through in about a month at a normal pace, so they suit an endcap or a promotion now. Reply with a quantity and we ship this week.',
        '',
        'The Harbor & Pine wholesale team',
      ].join('\n'),
    });
  }
  if (emails.length === 0) {
    context.log.info({ sku: lot.sku, lot: lot.lot }, 'expiring lot: no wholesale account buys this brand, no clearance offer to draft');
    return;
  }
  const { approval } = await context.approvals.request({
    action: sendReorderNudges,
    title: `Offer ${lot.units} units of ${lot.sku} (best by ${lot.expiry}) at ${settings.SALES_CLEARANCE_DISCOUNT_PCT}% off to ${emails.length} wholesale account${emails.length === 1 ? '' : 's'}`,
    draft: {
      kind: 'clearance',
      emails,
      note: `Accounts that bought ${brand} wholesale in the last year, most units first. Each offer is sent once, logged on the account's deal.`,
    },
    signalId: signal.id,
    requestKey,
  });
  context.log.info({ approvalId: approval.id, accounts: emails.length }, 'clearance offer drafted for approval');
};
