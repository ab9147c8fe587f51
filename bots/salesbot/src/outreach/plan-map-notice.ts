import { isoWeek } from '../jobs/hubspot-sync.js';
import { accountDeal } from '../collections/account-deal.js';
import { sendMapNotice } from './send-map-notice.js';
import type { SignalHandlerOf } from '@jbot/core';

const money = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * contentbot's `buy_box_lost` where the winner is one of our wholesale accounts selling below MAP:
 * a MAP-policy notice to that account's buyer, for approval. One request per account, ASIN and
 * week: the repeat alert the next hour finds it asked. Any other Buy Box loss is not salesbot's.
 */
export const planMapNotice: SignalHandlerOf<'buy_box_lost'> = async (signal, context) => {
  const lost = signal.payload;
  if (lost.wholesale_account_id === null || !lost.below_map || lost.map_price === null || lost.winner_price === null) {
    context.log.info({ asin: lost.asin }, 'buy box lost, but not to one of our wholesale accounts below MAP: no notice');
    return;
  }
  const company = (await context.connectors.crm.listCompanies()).find((candidate) => candidate.id === lost.wholesale_account_id);
  const account = company?.name ?? lost.wholesale_account ?? null;
  const deal = account === null ? null : accountDeal(await context.connectors.crm.listDeals(), account);
  if (account === null || deal === null || deal.contactEmail === null) {
    context.log.warn({ accountId: lost.wholesale_account_id, asin: lost.asin }, 'MAP breach by a wholesale account with no buyer on file: no notice drafted');
    return;
  }
  const { approval, created } = await context.approvals.request({
    action: sendMapNotice,
    title: `Send a MAP notice to ${account} (${lost.sku} at ${money(lost.winner_price)}, MAP ${money(lost.map_price)})`,
    draft: {
      asin: lost.asin,
      sku: lost.sku,
      map_price: lost.map_price,
      seen_price: lost.winner_price,
      notice: {
        account_id: lost.wholesale_account_id,
        account,
        to: deal.contactEmail,
        subject: `MAP policy: ${lost.sku} listed at ${money(lost.winner_price)} on Amazon`,
        body: [
          `Hello ${deal.contactName ?? `${account} team`},`,
          '',
          `We noticed ${lost.sku} (ASIN ${lost.asin}) offered by your Amazon storefront at ${money(lost.winner_price)}, below our minimum advertised price of ${money(lost.map_price)}.`,
          'Our MAP policy asks every authorised reseller to advertise at or above MAP. Please update the listing within 48 hours; if the price is a mistake or a repricer setting, a quick reply is all we need.',
          '',
          'Thank you for carrying our brands,',
          'The Harbor & Pine wholesale team',
        ].join('\n'),
      },
    },
    signalId: signal.id,
    requestKey: `map-notice:${lost.wholesale_account_id}:${lost.asin}:${isoWeek(new Date())}`,
  });
  context.log.info({ approvalId: approval.id, created, account }, 'MAP notice drafted for approval');
};
