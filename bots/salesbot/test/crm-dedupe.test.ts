import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import {
  createConnectors,
  hubspotCompaniesFromSample,
  hubspotNewRecordsFromSample,
  hubspotObjectsFromSample,
  loadSampleCompany,
  readSampleCompanyData,
  type SampleCompanyData,
} from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { crmDedupe, crmDedupeSettings, findDuplicates, mergeCrmRecords, nameSimilarity, runCrmDedupe, startOfLocalDay } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { jobContext, silent } from './pipeline-fixtures.js';

// The catalogue's planted case: 2 duplicate companies and 1 duplicate contact created today.
const PLANTED = [
  ['companies', '90412035', '90412907', 'name 100% alike in NM'],
  ['companies', '90412000', '90412900', 'same domain wholeharvestmarket.com'],
  ['contacts', '51300000', '51300900', 'same name at wholeharvestmarket.com'],
];

// Today's new records are all unique.
function uniqueVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const records = data.salesbot_crm_new as { companies: Array<Record<string, unknown>>; contacts: Array<Record<string, unknown>> };
  records.companies = records.companies.filter((company) => company['id'] === '90412914');
  records.contacts = records.contacts.filter((contact) => contact['id'] === '51300907');
  return data;
}

describe('salesbot crm-dedupe', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const now = new Date(Date.UTC(2026, 11, 1, 18, 0));
  const since = startOfLocalDay('2026-12-01', 'UTC');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    const data = readSampleCompanyData();
    const objects = hubspotObjectsFromSample(data, now);
    const fresh = hubspotNewRecordsFromSample(data, now);
    hubspot = await startFakeHubSpot({
      seed: {
        owners: objects.owners,
        objects: {
          deals: objects.deals,
          contacts: [...objects.contacts, ...fresh.contacts],
          companies: [...hubspotCompaniesFromSample(data), ...fresh.companies],
        },
      },
    });
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const shape = (pairs: Awaited<ReturnType<typeof findDuplicates>>) => pairs.map((pair) => [pair.object_type, pair.primary_id, pair.merge_id, pair.reason]);

  it('is declared for weekdays at 17:00 with the catalogue similarity bar; the similarity is pg_trgm-like', () => {
    expect(crmDedupe.schedule).toBe('0 17 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('crm-dedupe');
    expect(crmDedupeSettings.load({}).SALES_DEDUPE_NAME_SIMILARITY).toBe(0.9);
    expect(nameSimilarity('Juniper Lane Home', 'JUNIPER LANE HOME')).toBe(1);
    expect(nameSimilarity('Juniper Lane Home', 'Juniper Lane Homes')).toBeLessThan(0.9);
    expect(nameSimilarity('Foxglove Florals', 'Fieldstone Market')).toBeLessThan(0.2);
  });

  it('finds the 2 duplicate companies and the duplicate contact created today, survivor = most associations', async () => {
    expect(shape(await findDuplicates(createConnectors({ db, env: {} }), since, 0.9))).toEqual(PLANTED);
  });

  it('finds the same pairs through HubSpot companies/contacts search at the fake', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    expect(shape(await findDuplicates(live, since, 0.9))).toEqual(PLANTED);
  });

  it("finds nothing when today's records are unique", async () => {
    const unique = await freshDatabase();
    const uniqueDb = createPostgresDb({ url: unique.url, poolMax: 2 });
    try {
      await loadSampleCompany(uniqueDb, { data: uniqueVariant(), now });
      expect(await findDuplicates(createConnectors({ db: uniqueDb, env: {} }), since, 0.9)).toEqual([]);
    } finally {
      await uniqueDb.close();
      await unique.drop();
    }
  });

  it('posts the pairs and asks merge_crm_records once; approving merges each once in the sample CRM', async () => {
    const first = await runCrmDedupe(jobContext(db, 'crm-dedupe', 'dd-1', crmDedupeSettings.load({}), now, null), crmDedupeSettings.load({}), now);
    expect(first.outcome.outcome).toBe('3 duplicate records, posted');
    const again = await runCrmDedupe(
      jobContext(db, 'crm-dedupe', 'dd-2', crmDedupeSettings.load({}), now, first.outcome.fingerprint ?? null),
      crmDedupeSettings.load({}),
      now,
    );
    expect(again.approvalId).toBe(first.approvalId);
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'salesbot' and text like '%merge into Whole Harvest Market%'`;
    expect(post?.text).toContain('Company Whole Harvest Market Inc → merge into Whole Harvest Market (same domain wholeharvestmarket.com)');

    const [approval] = await sql<Array<{ draft: unknown }>>`select draft from approvals where id = ${first.approvalId ?? ''}`;
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = {
      ...context,
      connectors: createConnectors({ db, env: {} }),
      approvalId: first.approvalId ?? '',
      idempotencyKey: `approval:${first.approvalId ?? ''}`,
    };
    const done = await mergeCrmRecords.execute(mergeCrmRecords.draft.parse(approval?.draft), execution, {} as never);
    expect(done.merges.every((merge) => merge.merged_now)).toBe(true);
    const companies = (await db.rpc('sample_crm_list_companies')).map((row) => row['company_id']);
    expect(companies).not.toContain('90412900');
    expect(companies).not.toContain('90412907');
    expect(companies).toContain('90412914');
    const retry = await mergeCrmRecords.execute(mergeCrmRecords.draft.parse(approval?.draft), execution, {} as never);
    expect(retry.merges.some((merge) => merge.merged_now)).toBe(false);
    expect(await findDuplicates(createConnectors({ db, env: {} }), since, 0.9)).toEqual([]);
  });

  it('merges through HubSpot v3 merge at the fake once, also when the response is lost after the merge landed', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const pairs = await findDuplicates(live, since, 0.9);
    const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: live, approvalId: 'live-merge', idempotencyKey: 'approval:live-merge' };
    hubspot.failNext({ method: 'POST', path: /\/crm\/v3\/objects\/companies\/merge$/, afterApply: true });
    await expect(mergeCrmRecords.execute(mergeCrmRecords.draft.parse({ merges: pairs }), execution, {} as never)).rejects.toThrow();
    const done = await mergeCrmRecords.execute(mergeCrmRecords.draft.parse({ merges: pairs }), execution, {} as never);
    expect(done.merges.map((merge) => merge.merge_id)).toEqual(['90412907', '90412900', '51300900']);
    const merges = hubspot.sideEffects.filter((effect) => effect.kind === 'merge');
    expect(merges.map((effect) => effect.properties['merged']).sort()).toEqual(['51300900', '90412900', '90412907']);
    expect(hubspot.store.table('companies').get('90412000')?.properties['hs_merged_object_ids']).toBe('90412900');
    expect(await findDuplicates(live, since, 0.9)).toEqual([]);
  });
});
