import { projectStockouts, restockDateFor, type Connectors, type FreightDelayInput } from '@jbot/connectors';

/** The freight_delay fields this check needs. */
export type DelayedStock = FreightDelayInput;

/** A proposal to pause one campaign while what it sells is out of stock. */
export interface PauseProposal {
  campaignId: string;
  campaignName: string;
  dailyBudget: number;
  /** The promoted SKUs that run out before the restock. */
  skus: Array<{ sku: string; name: string; stockoutDate: string; restockDate: string; daysOutOfStock: number }>;
  /** YYYY-MM-DD: pause from the first stockout… */
  pauseFrom: string;
  /** …until the restock. */
  resumeOn: string;
  /** Budget that would be spent sending shoppers to an empty shelf. */
  spendAtRiskUsd: number;
  reason: string;
}

/**
 * Which active campaigns promote SKUs that will run out before a delayed shipment restocks
 * them — mktgbot turns each into a pause proposal (approval first; the connector pauses when told).
 */
export async function findCampaignsPromotingStockouts(
  connectors: Pick<Connectors, 'ads' | 'commerce' | 'freight'>,
  delay: DelayedStock,
  now: Date,
): Promise<PauseProposal[]> {
  const shipment =
    delay.skus !== undefined && delay.expected_eta !== undefined
      ? undefined
      : (await connectors.freight.listShipments()).find((candidate) => candidate.id === delay.shipment_id);
  const skus = delay.skus ?? shipment?.lines.map((line) => line.sku) ?? [];
  const expectedEta = delay.expected_eta ?? shipment?.expectedEta;
  if (skus.length === 0 || expectedEta === undefined) return [];
  const [campaigns, inventory] = await Promise.all([connectors.ads.listCampaigns(), connectors.commerce.listInventory()]);
  const runways = projectStockouts(inventory, skus, restockDateFor(expectedEta, now), now).filter(
    (runway) => runway.daysOutOfStock > 0 && runway.stockoutDate !== null,
  );
  const bySku = new Map(runways.map((runway) => [runway.sku, runway]));
  const proposals: PauseProposal[] = [];
  for (const campaign of campaigns) {
    if (campaign.status !== 'ACTIVE') continue;
    const hit = campaign.promotedSkus.map((sku) => bySku.get(sku)).filter((runway) => runway !== undefined);
    if (hit.length === 0) continue;
    const pauseFrom = hit.map((runway) => runway.stockoutDate ?? '').sort()[0] ?? '';
    const resumeOn = hit[0]?.restockDate ?? '';
    const days = Math.max(...hit.map((runway) => runway.daysOutOfStock));
    proposals.push({
      campaignId: campaign.id,
      campaignName: campaign.name,
      dailyBudget: campaign.dailyBudget,
      skus: hit.map((runway) => ({
        sku: runway.sku,
        name: runway.name,
        stockoutDate: runway.stockoutDate ?? '',
        restockDate: runway.restockDate,
        daysOutOfStock: runway.daysOutOfStock,
      })),
      pauseFrom,
      resumeOn,
      spendAtRiskUsd: Math.round(campaign.dailyBudget * days * 100) / 100,
      reason: `${hit.map((runway) => runway.sku).join(', ')} out of stock from ${pauseFrom} until ${resumeOn} (shipment ${delay.shipment_id} ${delay.delay_days} days late)`,
    });
  }
  return proposals.sort((left, right) => right.spendAtRiskUsd - left.spendAtRiskUsd);
}
