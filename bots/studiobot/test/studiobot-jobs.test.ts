import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import {
  creatorLeaderboard,
  creatorPipeline,
  creatorPostCompliance,
  creatorRoi,
  discoverCreators,
  findComplianceIssues,
  findExpiringRights,
  findPipelineIssues,
  findStrongUgc,
  influencerDiscovery,
  influencerDiscoverySettings,
  ugcHarvestSettings,
  ugcRightsExpiry,
} from '../src/index.js';
import { studiobot } from '../src/bot.js';
import { runJob, studioContext } from './studiobot-helpers.js';

type Row = Record<string, unknown>;
const creatorsOf = (data: SampleCompanyData) =>
  data.creators as { candidates: Row[]; ugc_posts: Row[]; collaborations: Row[]; creator_posts: Row[]; rights: Row[]; asset_usage: Row[] };

// The sample company with every planted creator case repaired: nothing to find anywhere.
export function healthyCreators(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const creators = creatorsOf(data);
  // Discovery: the 6 planted accounts get real engagement, steady followers, weekly posts and clean captions.
  for (const candidate of creators.candidates) {
    const followers = Number(candidate['followers_count']);
    candidate['followers_7d_ago'] = Math.round(followers * 0.99);
    candidate['posts'] = (candidate['posts'] as Row[]).map((post, index) => ({
      ...post,
      days_ago: 1 + index * 3,
      like_count: Math.round(followers * 0.045),
      comments_count: Math.round(followers * 0.003),
      caption: String(post['caption']).replace(/casino/gi, 'candle'),
    }));
  }
  // UGC: nothing new worth licensing (every post is below its poster's median).
  for (const post of creators.ugc_posts) post['like_count'] = 1;
  // Collaborations: every open one delivered recently, due later, fully set up; posts compliant.
  for (const collab of creators.collaborations) {
    if (collab['posted_media_id'] !== undefined) continue;
    Object.assign(collab, { delivered_days_ago: 5, shipped_days_ago: 9, post_due_in_days: 12, contract_signed: true });
  }
  for (const post of creators.creator_posts) {
    const collab = creators.collaborations.find((entry) => entry['posted_media_id'] === post['media_id']);
    post['caption'] = `Loving this from ${(collab?.['required_tags'] as string[])[0]}. Code ${String(collab?.['discount_code'])} #ad`;
  }
  // Rights: nothing in use expires within two weeks.
  for (const right of creators.rights) if (typeof right['expires_in_days'] === 'number' && right['expires_in_days'] < 15) right['expires_in_days'] = 200;
  return data;
}

describe('studiobot on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let healthy: TestDatabase;
  let healthyDb: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    healthy = await freshDatabase();
    healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    await loadSampleCompany(healthyDb, { data: healthyCreators() });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
    await healthyDb?.close();
    await healthy?.drop();
  });

  const context = () => studioContext(db);
  const healthyContext = () => studioContext(healthyDb);
  const healthyPosts = async (like: string) => {
    const healthySql = postgres(healthy.url, { max: 1, onnotice: () => {} });
    try {
      return await healthySql<Array<{ text: string }>>`select text from channel_messages where bot = 'studiobot' and text like ${like}`;
    } finally {
      await healthySql.end();
    }
  };
  const posts = async (like: string) => sql<Array<{ text: string }>>`select text from channel_messages where bot = 'studiobot' and text like ${like}`;

  it('declares the six catalogue jobs with their schedules', () => {
    expect(Object.fromEntries((studiobot.jobs ?? []).map((job) => [job.id, job.schedule]))).toEqual({
      'influencer-discovery': '0 9 * * 1',
      'ugc-harvest': '0 8 * * *',
      'creator-pipeline': '30 9 * * 1-5',
      'creator-post-compliance': '0 12 * * *',
      'creator-roi': '0 11 * * *',
      'ugc-rights-expiry': '30 8 * * *',
    });
    expect(studiobot.jobs?.every((job) => (job.timeoutMs ?? 0) > 0 && job.missed === 'once')).toBe(true);
  });

  describe('influencer-discovery', () => {
    it('shortlists 10 creators per brand and leaves out the 6 planted fakes / low-engagement accounts and the creators we already work with', async () => {
      const { shortlist, excluded } = await discoverCreators(context(), influencerDiscoverySettings.load({}));
      const planted = ['coastal.cozy.living', 'glowwithtess', 'granola.girl.daily', 'brew.and.bloom', 'luxe.skin.lab', 'slow.candle.club'];
      expect(excluded.map((item) => item.username).sort()).toEqual([...planted].sort());
      expect(Object.fromEntries(excluded.map((item) => [item.username, item.reason.split(' ')[0]]))).toMatchObject({
        'coastal.cozy.living': 'engagement',
        glowwithtess: 'engagement',
        'granola.girl.daily': 'followers',
        'brew.and.bloom': 'followers',
        'luxe.skin.lab': 'brand-safety',
      });
      expect(shortlist).toHaveLength(40);
      for (const brand of ['KC', 'SM', 'DW', 'TH']) expect(shortlist.filter((creator) => creator.brand === brand)).toHaveLength(10);
      const collaborators = creatorsOf(readSampleCompanyData()).collaborations.map((collab) => collab['creator']);
      expect(shortlist.some((creator) => collaborators.includes(creator.username))).toBe(false);
    });

    it('a healthy variant shortlists every candidate and excludes none', async () => {
      const { excluded } = await discoverCreators(healthyContext(), influencerDiscoverySettings.load({}));
      expect(excluded).toEqual([]);
    });

    it('posts the shortlist, notes it for the digest and asks send_creator_outreach for the top 20 (offline drafts labelled); a rerun asks nothing new', async () => {
      const first = await runJob(db, influencerDiscovery, { runId: 'discovery-1' });
      expect(first.outcome).toBe('40 shortlisted creators, posted; send_creator_outreach asked');
      expect(await posts('%Influencer shortlist: 40 creators for 4 brands%')).toHaveLength(1);
      const approval = await getApproval(db, String(first.detail.approvalId));
      expect(approval).toMatchObject({ action: 'send_creator_outreach', status: 'pending', title: 'Send first DMs to 20 new creators' });
      const messages = (approval?.draft as { messages: Array<{ body: string; recipient: string }> }).messages;
      expect(messages).toHaveLength(20);
      expect(messages.every((message) => message.body.includes('[offline draft'))).toBe(true);
      const [note] = await sql<
        Array<{ payload: { detail: { kind: string } } }>
      >`select payload from bot_signals where source_bot = 'studiobot' and signal_type = 'bot_note' and payload->'detail'->>'kind' = 'influencer_shortlist'`;
      expect(note).toBeDefined();
      const again = await runJob(db, influencerDiscovery, { runId: 'discovery-2', lastFingerprint: first.fingerprint ?? null });
      expect(again.outcome).toBe('40 shortlisted creators, unchanged since the last run (not reposted); send_creator_outreach asked');
      expect(again.detail.approvalId).toBe(first.detail.approvalId);
      expect(await posts('%Influencer shortlist: 40 creators for 4 brands%')).toHaveLength(1);
    });
  });

  describe('ugc-harvest', () => {
    it('finds the 6 strong posts and nothing else (low engagement, no product, competitor, brand safety, already requested, private)', async () => {
      const strong = await findStrongUgc(context(), new Date(), ugcHarvestSettings.load({}));
      expect(strong.map((post) => post.username).sort()).toEqual([
        'annika.at.home',
        'bare.faced.bea',
        'campstove.coffee',
        'quiet.mornings.pdx',
        'thefoggyporch',
        'weekday.breakfasts',
      ]);
      expect(await findStrongUgc(healthyContext(), new Date(), ugcHarvestSettings.load({}))).toEqual([]);
    });
  });

  describe('creator-pipeline', () => {
    it('finds the 3 late creators and the missing contract; a healthy pipeline raises nothing', async () => {
      const { findings } = await findPipelineIssues(context(), new Date().toISOString().slice(0, 10), {
        STUDIO_POST_AFTER_DELIVERY_DAYS: 21,
        STUDIO_SETUP_CHECK_DAYS: 3,
      });
      expect(findings.map((finding) => [finding.creator, finding.issues])).toEqual([
        ['hollyhock.home', ['no_post_after_delivery']],
        ['sundayskin.club', ['past_due']],
        ['trailmix.tom', ['past_due']],
        ['crumbs.and.co', ['missing_contract']],
      ]);
      const clean = await findPipelineIssues(healthyContext(), new Date().toISOString().slice(0, 10), {
        STUDIO_POST_AFTER_DELIVERY_DAYS: 21,
        STUDIO_SETUP_CHECK_DAYS: 3,
      });
      expect(clean.findings).toEqual([]);
    });

    it('signals each late creator (warning at a $1k+ fee), posts once and asks send_creator_reminders', async () => {
      const first = await runJob(db, creatorPipeline, { runId: 'pipeline-1' });
      expect(first.outcome).toBe('4 late or unready collaborations, posted; send_creator_reminders asked');
      const signals = await sql<
        Array<{ severity: string; payload: { creator: string } }>
      >`select severity, payload from bot_signals where signal_type = 'creator_deliverable_late' order by payload->>'collab_id'`;
      expect(signals.map((signal) => [signal.payload.creator, signal.severity])).toEqual([
        ['hollyhock.home', 'info'],
        ['sundayskin.club', 'warning'],
        ['trailmix.tom', 'info'],
      ]);
      const approval = await getApproval(db, String(first.detail.approvalId));
      expect(approval).toMatchObject({ action: 'send_creator_reminders', title: 'Send 4 creator reminders' });
      const again = await runJob(db, creatorPipeline, { runId: 'pipeline-2', lastFingerprint: first.fingerprint ?? null });
      expect(again.outcome).toBe('4 late or unready collaborations, unchanged since the last run (not reposted); send_creator_reminders asked');
      expect(again.detail.approvalId).toBe(first.detail.approvalId);
      expect(await posts('%Creator pipeline: 3 late, 1 not ready%')).toHaveLength(1);
      expect((await sql`select 1 from bot_signals where signal_type = 'creator_deliverable_late'`).length).toBe(3);
    });
  });

  describe('creator-post-compliance', () => {
    it('finds the paid post without #ad and the wrong code; compliant posts and a healthy variant raise nothing', async () => {
      const findings = await findComplianceIssues(context(), ['clears acne', 'cures']);
      expect(findings.map((finding) => [finding.creator, finding.missing_disclosure, finding.issues.length])).toEqual([
        ['saltmarsh.creator.kai', true, 1],
        ['summit.sips', false, 1],
      ]);
      expect(findings[1]?.issues[0]).toContain('code SUMMIT10 is not theirs (SUMMITSI15)');
      expect(await findComplianceIssues(healthyContext(), ['clears acne'])).toEqual([]);
    });

    it('raises one creator_compliance_issue warning (→ jbot) for the missing disclosure and asks send_creator_fix_requests', async () => {
      const first = await runJob(db, creatorPostCompliance, { runId: 'compliance-1' });
      expect(first.outcome).toBe('2 non-compliant creator posts, posted; send_creator_fix_requests asked');
      const signals = await sql<
        Array<{ severity: string; payload: { creator: string } }>
      >`select severity, payload from bot_signals where signal_type = 'creator_compliance_issue'`;
      expect(signals.map((signal) => [signal.payload.creator, signal.severity])).toEqual([['saltmarsh.creator.kai', 'warning']]);
      const approval = await getApproval(db, String(first.detail.approvalId));
      const messages = (approval?.draft as { messages: Array<{ recipient: string; body: string }> }).messages;
      expect(messages.map((message) => message.recipient)).toEqual(['saltmarsh.creator.kai', 'summit.sips']);
      expect(messages[0]?.body).toContain('add #ad');
      expect(messages[1]?.body).toContain('change the code to SUMMITSI15');
    });
  });

  describe('creator-roi', () => {
    it('ranks the posted creators by ROI, flags who is not worth renewing after 30 days and notes it for the digest', async () => {
      const rows = await creatorLeaderboard(context(), new Date(), 30);
      expect(rows).toHaveLength(8);
      expect(
        rows
          .filter((row) => row.verdict === 'do_not_renew')
          .map((row) => row.creator)
          .sort(),
      ).toEqual(['cedar.and.sage', 'saltmarsh.creator.kai', 'summit.sips', 'tidepool.tara']);
      expect(rows.filter((row) => row.verdict === 'do_not_renew').every((row) => (row.roi ?? 0) < 1 && row.days_live >= 30)).toBe(true);
      expect(rows.find((row) => row.creator === 'summit.sips')).toMatchObject({ fee: 650, new_customers: 2, cpa: 325 });
      const first = await runJob(db, creatorRoi, { runId: 'roi-1' });
      expect(first.outcome).toBe('8 creators, posted');
      const [note] = await sql<
        Array<{ payload: { text: string } }>
      >`select payload from bot_signals where signal_type = 'bot_note' and payload->'detail'->>'kind' = 'creator_roi'`;
      expect(note?.payload.text).toContain('4 not worth renewing');
    });
  });

  describe('ugc-rights-expiry', () => {
    it('finds the 2 assets expiring in 10 days and the expired one still running; paused and unused assets raise nothing', async () => {
      const findings = await findExpiringRights(context(), new Date(), 14);
      expect(findings.map((finding) => [finding.licensor, finding.severity, finding.in_use.map((use) => use.kind)])).toEqual([
        ['crunchy.mornings', 'alert', ['meta_ad']],
        ['seaside.sunday', 'warning', ['meta_ad']],
        ['honest.glow', 'warning', ['product_media', 'scheduled_post']],
      ]);
      expect(await findExpiringRights(healthyContext(), new Date(), 14)).toEqual([]);
    });

    it('raises an alert for the expired asset and warnings for the expiring ones, posts once and asks renew_or_pause_asset', async () => {
      const first = await runJob(db, ugcRightsExpiry, { runId: 'rights-1' });
      expect(first.outcome).toBe('3 expiring in-use assets, posted; renew_or_pause_asset asked');
      const signals = await sql<
        Array<{ severity: string; payload: { licensor: string } }>
      >`select severity::text, payload from bot_signals where signal_type = 'ugc_rights_expiring' order by severity::text, payload->>'licensor'`;
      expect(signals.map((signal) => [signal.payload.licensor, signal.severity])).toEqual([
        ['crunchy.mornings', 'alert'],
        ['honest.glow', 'warning'],
        ['seaside.sunday', 'warning'],
      ]);
      const approval = await getApproval(db, String(first.detail.approvalId));
      expect(approval?.title).toBe('Ask 3 licensors to renew UGC rights and pause 1 expired asset');
      const again = await runJob(db, ugcRightsExpiry, { runId: 'rights-2', lastFingerprint: first.fingerprint ?? null });
      expect(again.detail.approvalId).toBe(first.detail.approvalId);
      expect((await sql`select 1 from bot_signals where signal_type = 'ugc_rights_expiring'`).length).toBe(3);
      expect(await posts('%UGC rights: 1 expired, 2 expiring%')).toHaveLength(1);
    });
  });

  it('every job on a healthy company: nothing to report, one line on a manual run', async () => {
    for (const job of studiobot.jobs ?? []) {
      // A leaderboard and a shortlist are not problems: the healthy company still has them.
      if (job.id === 'creator-roi' || job.id === 'influencer-discovery') continue;
      const result = await runJob(healthyDb, job, { runId: `healthy-${job.id}`, manual: true, connectors: createConnectors({ db: healthyDb, env: {} }) });
      expect({ job: job.id, outcome: result.outcome }).toEqual({ job: job.id, outcome: 'nothing to report' });
    }
    expect(await healthyPosts('%: nothing to report%')).toHaveLength(4);
  });
});
