import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { findCampaignsPromotingStockouts } from '../src/campaigns-promoting-stockouts.js';

describe('mktgbot: campaigns promoting SKUs that will run out', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('proposes pausing the active campaigns whose SKUs stock out before SHKGH0525145 restocks them, and stops proposing one once paused', async () => {
    const connectors = createConnectors({ db, env: {} });
    const delay = { shipment_id: 'SHKGH0525145', delay_days: 21 };
    const proposals = await findCampaignsPromotingStockouts(connectors, delay, new Date());
    expect(proposals.map((proposal) => proposal.campaignName).sort()).toEqual([
      'DW | Advantage+ | Home Fragrance',
      'DW | Prospecting | Coastal Fog Candle',
      'DW | Retargeting | Holiday Trio Set',
      'SM | Prospecting | Saltmarsh Gift Set',
    ]);
    const coastalFog = proposals.find((proposal) => proposal.campaignName === 'DW | Prospecting | Coastal Fog Candle');
    expect(coastalFog?.skus.map((sku) => sku.sku)).toEqual(['DW-104']);
    expect(coastalFog?.spendAtRiskUsd).toBe(180 * 16);
    expect(coastalFog?.reason).toMatch(/DW-104 out of stock from .* \(shipment SHKGH0525145 21 days late\)/);
    // Sorted by money at risk.
    expect(proposals.map((proposal) => proposal.spendAtRiskUsd)).toEqual(
      [...proposals.map((proposal) => proposal.spendAtRiskUsd)].sort((left, right) => right - left),
    );

    // On approval the connector pauses; the next check no longer proposes it.
    await connectors.ads.pauseCampaign({ campaignId: coastalFog?.campaignId ?? '', idempotencyKey: 'approval:mktg-1', reason: coastalFog?.reason ?? '' });
    const after = await findCampaignsPromotingStockouts(connectors, delay, new Date());
    expect(after.map((proposal) => proposal.campaignId)).not.toContain(coastalFog?.campaignId);
    expect(after).toHaveLength(3);
  });
});
