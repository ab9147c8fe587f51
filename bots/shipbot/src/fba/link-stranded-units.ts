import { runOnce, type ChannelMessage, type SignalHandlerOf } from '@jbot/core';
import type { FbaInventorySummary, FbaStrandedRow } from '@jbot/connectors';

/** What a suppressed listing holds up in FBA: the stranded units and the rest of its FBA stock. */
export interface SuppressedStock {
  sku: string;
  asin: string;
  stranded: FbaStrandedRow | null;
  summary: FbaInventorySummary | null;
}

/** The #ship-bot line linking a suppressed listing to the FBA units it strands. */
export function suppressedStockMessage(stock: SuppressedStock, signalId: string): ChannelMessage {
  const held = stock.summary === null ? 0 : stock.summary.fulfillable + stock.summary.reserved;
  return {
    kind: 'fba_suppressed_stock',
    title: `${stock.sku} suppressed on Amazon: ${stock.stranded === null ? `${held} FBA units cannot sell` : `${stock.stranded.units} FBA units stranded`}`,
    text: [
      stock.stranded === null
        ? `${stock.sku} (${stock.asin}) has ${held} units in FBA that cannot sell while the listing is suppressed (not in the stranded report yet).`
        : `${stock.sku} (${stock.asin}): ${stock.stranded.units} units stranded since ${stock.stranded.dateStranded ?? '?'} — ${stock.stranded.reason}; ${held} units in FBA in all.`,
      "They sell again once contentbot's listing fix is live; no removal is proposed while the fix is pending.",
    ].join('\n'),
    severity: 'warning',
    signalId,
  };
}

/**
 * shipbot's answer to contentbot's `amazon_listing_suppressed`: link the suppression to the FBA
 * units it strands (the stranded report and the inventory summary), posted to #ship-bot once per
 * signal however often it is delivered. A listing with nothing in FBA (FBM) posts nothing.
 */
export const linkStrandedUnits: SignalHandlerOf<'amazon_listing_suppressed'> = async (signal, context) => {
  const { sku, asin } = signal.payload;
  const outcome = await runOnce(context.db, { key: `shipbot:suppressed-stock:${signal.id}`, bot: context.bot }, async () => {
    const [stranded, summaries] = await Promise.all([context.connectors.fba.getStrandedReport(), context.connectors.fba.listInventorySummaries()]);
    const stock: SuppressedStock = {
      sku,
      asin,
      stranded: stranded.find((row) => row.sku === sku && row.units > 0) ?? null,
      summary: summaries.find((summary) => summary.sku === sku) ?? null,
    };
    const held = stock.summary === null ? 0 : stock.summary.fulfillable + stock.summary.reserved;
    if (stock.stranded === null && held === 0) return { posted: false };
    const posted = await context.channel.post(suppressedStockMessage(stock, signal.id));
    return { posted: true, messageId: posted.messageId, stranded: stock.stranded?.units ?? 0 };
  });
  // Another copy is posting it right now: retry later rather than ack a post that may not happen.
  if (!outcome.ran && outcome.status === 'claimed')
    throw new Error(`the stranded-units note for signal ${signal.id} is being posted by another copy; retrying`);
};
