import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type Connectors } from '@jbot/connectors';
import {
  freshDatabase,
  startFakeEasyPostSeeding,
  startFakeMetaGraphCreators,
  type FakeEasyPostSeeding,
  type FakeEasyPostTracker,
  type FakeIgCreator,
  type FakeIgMedia,
  type FakeMetaGraphCreators,
  type TestDatabase,
} from '@jbot/testkit';
import {
  collectGrants,
  discoverCreators,
  findPipelineIssues,
  findStrongUgc,
  influencerDiscoverySettings,
  requestUgcRights,
  ugcHarvest,
  ugcHarvestSettings,
} from '../src/index.js';
import { runJob, studioContext } from './studiobot-helpers.js';

type Row = Record<string, unknown>;
const DAY_MS = 86_400_000;
const ACCOUNTS: Record<string, string> = {
  '17841400000000001': 'kettleandcrumb',
  '17841400000000002': 'saltmarshapothecary',
  '17841400000000003': 'driftwoodcandleco',
  '17841400000000004': 'trailheadcoffee',
};
const BRAND_ACCOUNT: Record<string, string> = { KC: '17841400000000001', SM: '17841400000000002', DW: '17841400000000003', TH: '17841400000000004' };
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY_MS - hours * 3_600_000).toISOString();

// The sample company's creator world in the Graph API's shapes (the vendor's documented fields).
function graphSeed() {
  const creators = readSampleCompanyData().creators as { candidates: Row[]; ugc_posts: Row[] };
  const profiles: FakeIgCreator[] = creators.candidates.map((candidate, index) => ({
    id: String(17841450000000000 + index),
    username: String(candidate['username']),
    biography: String(candidate['biography']),
    followers_count: Number(candidate['followers_count']),
    media_count: Number(candidate['media_count']),
    media: (candidate['posts'] as Row[]).map((post, postIndex) => ({
      id: `${index}${postIndex}`,
      caption: String(post['caption']),
      like_count: Number(post['like_count']),
      comments_count: Number(post['comments_count']),
      timestamp: ago(Number(post['days_ago'])),
    })),
  }));
  // The UGC posters, each with 12 posts at their median engagement (what business_discovery shows).
  for (const post of creators.ugc_posts) {
    const median = Number(post['poster_median_engagement']);
    profiles.push({
      id: `poster-${String(post['media_id'])}`,
      username: String(post['username']),
      biography: 'home · life',
      followers_count: median * 30,
      media_count: 300,
      media: Array.from({ length: 12 }, (_, index) => ({
        id: `${String(post['media_id'])}-${index}`,
        caption: 'weekend',
        like_count: median - 5,
        comments_count: 5,
        timestamp: ago(index * 3 + 8),
      })),
    });
  }
  const tagged: Record<string, FakeIgMedia[]> = {};
  // The tags edge returns public media only, newest first.
  for (const post of [...creators.ugc_posts]
    .filter((entry) => entry['public'] === true)
    .sort((left, right) => Number(left['days_ago']) - Number(right['days_ago']))) {
    (tagged[BRAND_ACCOUNT[String(post['brand'])] ?? ''] ??= []).push({
      id: String(post['media_id']),
      username: String(post['username']),
      caption: String(post['caption']),
      media_type: String(post['media_type']),
      permalink: String(post['permalink']),
      like_count: Number(post['like_count']),
      comments_count: Number(post['comments_count']),
      timestamp: ago(Number(post['days_ago']), 3),
    });
  }
  return { accounts: ACCOUNTS, tagged, creators: profiles, candidates: creators.candidates };
}

describe('studiobot on the live connectors (fake Instagram Graph API, fake EasyPost)', () => {
  let database: TestDatabase;
  let db: Db;
  let graph: FakeMetaGraphCreators;
  let easypost: FakeEasyPostSeeding;
  let live: Connectors;
  const seed = graphSeed();

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db);
    graph = await startFakeMetaGraphCreators({ seed });
    const trackers: FakeEasyPostTracker[] = (
      await db.rpc('sample_seeding_trackers_list', { p_tracking_codes: (await db.rpc('creator_collabs_list', {})).map((row) => String(row['tracking_code'])) })
    ).map((row, index) => ({
      id: `trk_${index}`,
      object: 'Tracker',
      tracking_code: String(row['tracking_code']),
      carrier: String(row['carrier']),
      status: String(row['status']),
      created_at: new Date(String(row['shipped_at'])).toISOString(),
      updated_at: new Date(String(row['updated_at'])).toISOString(),
      tracking_details: [
        {
          object: 'TrackingDetail',
          status: 'pre_transit',
          message: 'Shipping label created',
          datetime: new Date(Date.parse(String(row['shipped_at'])) - 3_600_000).toISOString(),
        },
        {
          object: 'TrackingDetail',
          status: 'in_transit',
          message: 'Accepted at USPS origin facility',
          datetime: new Date(String(row['shipped_at'])).toISOString(),
        },
        ...(row['delivered_at'] === null
          ? []
          : [
              {
                object: 'TrackingDetail' as const,
                status: 'delivered',
                message: 'Delivered, front door',
                datetime: new Date(String(row['delivered_at'])).toISOString(),
              },
            ]),
      ],
    }));
    easypost = await startFakeEasyPostSeeding({ trackers });
    live = createConnectors({
      db,
      env: {
        META_ACCESS_TOKEN: graph.accessToken,
        META_AD_ACCOUNT_ID: 'act_2284510937711',
        META_API_BASE: graph.url,
        META_IG_ACCOUNTS: Object.entries(BRAND_ACCOUNT)
          .map(([brand, id]) => `${brand}=${id}`)
          .join(','),
        META_CREATOR_WATCHLIST: [...seed.candidates.map((candidate) => String(candidate['username'])), 'no.such.creator'].join(','),
        EASYPOST_API_KEY: easypost.apiKey,
        EASYPOST_API_BASE: easypost.url,
      },
    });
  });
  afterAll(async () => {
    await graph?.close();
    await easypost?.close();
    await db?.close();
    await database?.drop();
  });

  it('influencer-discovery through business_discovery: the same 6 left out (follower jumps from last week’s counts), unknown accounts skipped', async () => {
    expect(live.creators.source).toBe('meta');
    const lastWeek = Object.fromEntries(seed.candidates.map((candidate) => [String(candidate['username']), Number(candidate['followers_7d_ago'])]));
    const { shortlist, excluded } = await discoverCreators(studioContext(db, { connectors: live }), influencerDiscoverySettings.load({}), lastWeek);
    // Leads are the watchlist plus everyone who tagged us (the taggers are lifestyle accounts, left out too).
    const planted = ['brew.and.bloom', 'coastal.cozy.living', 'glowwithtess', 'granola.girl.daily', 'luxe.skin.lab', 'slow.candle.club'];
    const taggers = new Set(
      Object.values(seed.tagged)
        .flat()
        .map((media) => media.username),
    );
    expect(
      excluded
        .filter((item) => !taggers.has(item.username))
        .map((item) => item.username)
        .sort(),
    ).toEqual(planted);
    expect(shortlist).toHaveLength(40);
    const discovery = graph.requests.filter((request) => request.query['fields']?.startsWith('business_discovery.username(') === true);
    expect(discovery.some((request) => request.query['fields']?.includes('(no.such.creator)'))).toBe(true);
    expect(discovery[0]?.query['fields']).toContain('media.limit(12){id,caption,like_count,comments_count,timestamp,permalink}');
  });

  it('ugc-harvest through the /tags edge: the same 6 strong posts, posters’ medians from their own posts', async () => {
    const tagged = await live.creators.listTaggedMedia({ since: new Date(Date.now() - 7 * DAY_MS) });
    expect(tagged).toHaveLength(23);
    const strong = await findStrongUgc(studioContext(db, { connectors: live }), new Date(), ugcHarvestSettings.load({}));
    expect(strong.map((post) => post.username).sort()).toEqual([
      'annika.at.home',
      'bare.faced.bea',
      'campstove.coffee',
      'quiet.mornings.pdx',
      'thefoggyporch',
      'weekday.breakfasts',
    ]);
    expect(
      graph.requests.some((request) => request.path === `/${BRAND_ACCOUNT['DW'] ?? ''}/tags` && request.query['fields']?.includes('username') === true),
    ).toBe(true);
  });

  it('request_ugc_rights replies under each post through POST /{ig-user-id}/mentions once, across a failed attempt and a retry', async () => {
    const harvest = await runJob(db, ugcHarvest, { runId: 'live-harvest-1', connectors: live });
    const approvalId = String(harvest.detail.approvalId);
    const approval = await getApproval(db, approvalId);
    const draft = requestUgcRights.draft.parse(approval?.draft);
    const context = { ...studioContext(db, { connectors: live }), approvalId, idempotencyKey: `approval:${approvalId}` };
    graph.failNext({ method: 'POST', path: /\/mentions$/, status: 500 });
    await expect(requestUgcRights.execute(draft, context, approval as never)).rejects.toThrow(/Instagram mention reply failed/);
    const first = await requestUgcRights.execute(draft, context, approval as never);
    const again = await requestUgcRights.execute(draft, context, approval as never);
    expect(first.requests).toHaveLength(6);
    expect(again.requests.some((request) => request.sent_now)).toBe(false);
    const replies = graph.writes.filter((write) => write.kind === 'mention_reply');
    expect(replies).toHaveLength(6);
    expect(replies.map((write) => write.body['media_id']).sort()).toEqual(draft.requests.map((request) => request.media_id).sort());

    // The licensor answers under the post; the harvest reads it from mentioned_media and grants it.
    const first6 = draft.requests[0];
    graph.addMentionComment(String(first6?.media_id), String(first6?.username), {
      username: String(first6?.username),
      text: 'yes!! #YesHarborPine',
      timestamp: new Date().toISOString(),
    });
    graph.addMentionComment(String(draft.requests[1]?.media_id), String(draft.requests[1]?.username), {
      username: 'someone.else',
      text: '#YesHarborPine',
      timestamp: new Date().toISOString(),
    });
    const granted = await collectGrants(studioContext(db, { connectors: live }), 365);
    expect(granted.map((grant) => grant.licensor)).toEqual([first6?.username]);
  });

  it('creator-pipeline with seeding parcels from EasyPost: the same 4 findings; a 429 is retried; a bad key is a clear error without the key', async () => {
    const connectors = createConnectors({ db, env: { EASYPOST_API_KEY: easypost.apiKey, EASYPOST_API_BASE: easypost.url } });
    expect(connectors.seeding.source).toBe('easypost');
    easypost.failNext(429);
    const { findings } = await findPipelineIssues(studioContext(db, { connectors }), new Date().toISOString().slice(0, 10), {
      STUDIO_POST_AFTER_DELIVERY_DAYS: 21,
      STUDIO_SETUP_CHECK_DAYS: 3,
    });
    expect(findings.map((finding) => finding.creator)).toEqual(['hollyhock.home', 'sundayskin.club', 'trailmix.tom', 'crumbs.and.co']);
    expect(easypost.requests.some((request) => request.query['tracking_code'] !== undefined && request.query['carrier'] === 'USPS')).toBe(true);
    const wrong = createConnectors({ db, env: { EASYPOST_API_KEY: 'EZAKwrongkey123', EASYPOST_API_BASE: easypost.url } });
    const error = await wrong.seeding.listTrackers([{ trackingCode: '9400111899562000000001', carrier: 'USPS' }]).catch((caught: unknown) => caught as Error);
    expect(String((error as Error).message)).toMatch(/EasyPost trackers list failed with HTTP 401 \(APIKEY.INACTIVE/);
    expect(String((error as Error).message)).not.toContain('EZAKwrongkey123');
  });

  it('a half-configured Instagram is refused at start-up with the variable named', () => {
    expect(() => createConnectors({ db, env: { META_IG_ACCOUNTS: 'DW=123' } })).toThrow(/META_ACCESS_TOKEN/);
    expect(() => createConnectors({ db, env: { META_ACCESS_TOKEN: 't', META_AD_ACCOUNT_ID: 'act_1', META_IG_ACCOUNTS: 'driftwood' } })).toThrow(
      /META_IG_ACCOUNTS/,
    );
  });
});
