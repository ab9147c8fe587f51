import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, metaGraphObjectsFromSample, readSampleCompanyData, type Connectors } from '@jbot/connectors';
import { freshDatabase, startFakeGraphApi, type FakeGraphApi, type TestDatabase } from '@jbot/testkit';
import { socialbot } from '../src/bot.js';
import { communityInbox, hideComments, scheduleSocialPosts, sendSocialReplies } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

// Instagram and Facebook organic on the live connector (facebook-nodejs-business-sdk) against a
// fake Graph API; the ads client points at another fake, so each client's base URL is its own.
describe('socialbot on the live Meta organic connector (fake Graph API)', () => {
  let database: TestDatabase;
  let db: Db;
  let graph: FakeGraphApi;
  let adsGraph: FakeGraphApi;
  let live: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db);
    const objects = metaGraphObjectsFromSample(readSampleCompanyData());
    graph = await startFakeGraphApi({ ...objects, igUserId: '17841400000000001', pageId: '100000000000001' });
    adsGraph = await startFakeGraphApi({ adAccountId: objects.adAccountId });
    live = createConnectors({
      db,
      env: {
        META_ACCESS_TOKEN: graph.accessToken,
        META_AD_ACCOUNT_ID: objects.adAccountId,
        META_API_BASE: adsGraph.url,
        META_IG_USER_ID: '17841400000000001',
        META_PAGE_ID: '100000000000001',
        META_SOCIAL_API_BASE: graph.url,
      },
    });
  });
  afterAll(async () => {
    await graph?.close();
    await adsGraph?.close();
    await db?.close();
    await database?.drop();
  });

  const execution = (approvalId: string) => ({
    ...buildBotServices(socialbot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent),
    connectors: live,
    approvalId,
    idempotencyKey: `approval:${approvalId}`,
  });

  it('reads IG media with insights, comments and DMs from the Graph API, with the access token and v24.0 paths', async () => {
    const posts = await live.social.listPosts();
    const reel = posts.find((post) => post.id === 'SP-091');
    expect(reel).toMatchObject({ platform: 'instagram', format: 'reel', reach: 5200, interactions: 240 });
    const inbox = await live.social.listInbox();
    expect(inbox.filter((item) => item.platform === 'instagram' && item.kind === 'comment').length).toBeGreaterThan(0);
    expect(inbox.some((item) => item.kind === 'dm' && item.platform === 'facebook')).toBe(true);
    expect(graph.requests.every((request) => request.path.startsWith('/v24.0/') && request.query['access_token'] === graph.accessToken)).toBe(true);
    expect(adsGraph.requests).toEqual([]);
  });

  it('community-inbox finds the wax-smell pile-on through the live connector', async () => {
    const result = await runJob(socialbot, communityInbox, db, { runId: 'live-inbox-1', connectors: live });
    expect(result.detail['spikes']).toBe(1);
    expect(result.detail['hideApprovalId']).not.toBeNull();
  });

  it('hides each spam comment once (IG hide=true, FB is_hidden=true), across a re-execution', async () => {
    const instagram = String(Object.values(graph.seed.mediaComments).flat()[2]?.['id']);
    const facebook = String(Object.values(graph.seed.postComments).flat()[0]?.['id']);
    const draft = hideComments.draft.parse({
      comments: [
        { item_id: instagram, platform: 'instagram', quoted: 'spam', reason: 'spam pattern' },
        { item_id: facebook, platform: 'facebook', quoted: 'spam', reason: 'spam pattern' },
      ],
    });
    await hideComments.execute(draft, execution('hide-1'), {} as never);
    await hideComments.execute(draft, execution('hide-1'), {} as never);
    const hides = graph.writes.filter((write) => write.body['hide'] !== undefined || write.body['is_hidden'] !== undefined);
    expect(hides).toHaveLength(2);
    expect(hides.map((write) => Object.keys(write.body).filter((key) => key === 'hide' || key === 'is_hidden')[0]).sort()).toEqual(['hide', 'is_hidden']);
  });

  it('sends a reply once even when the first answer is lost after the reply landed (the ledger looks before it repeats)', async () => {
    const comment = Object.values(graph.seed.mediaComments).flat()[1];
    const draft = sendSocialReplies.draft.parse({
      replies: [
        {
          item_id: String(comment?.['id']),
          kind: 'comment',
          platform: 'instagram',
          author_id: null,
          quoted: String(comment?.['text']),
          text: 'Thank you so much!',
        },
      ],
    });
    graph.failNext({ method: 'POST', path: /\/replies$/, afterApply: true });
    await expect(sendSocialReplies.execute(draft, execution('reply-1'), {} as never)).rejects.toThrow(/Meta comment reply failed/);
    const again = await sendSocialReplies.execute(draft, execution('reply-1'), {} as never);
    expect(again.replies[0]?.sent).toBe(false);
    expect(graph.writes.filter((write) => write.path.endsWith('/replies'))).toHaveLength(1);
  });

  it('publishes an Instagram post (container, then publish) and schedules a Page post at its slot, each once', async () => {
    const slot = new Date(Date.now() + 3 * 86_400_000);
    const draft = scheduleSocialPosts.draft.parse({
      posts: [
        {
          platform: 'instagram',
          brand: 'DW',
          publish_at: slot.toISOString(),
          day: slot.toISOString().slice(0, 10),
          title: 'Gift set',
          caption: 'Three candles, one gift.',
          hashtags: ['#driftwood'],
          alt_text: 'Three candles on a table',
          sku: 'DW-102',
          pillar: 'offer',
          ugc_asset_id: null,
          media_url: 'https://cdn.example.com/dw-102.jpg',
        },
        {
          platform: 'facebook',
          brand: 'DW',
          publish_at: slot.toISOString(),
          day: slot.toISOString().slice(0, 10),
          title: 'Gift set',
          caption: 'Three candles, one gift.',
          hashtags: [],
          alt_text: 'Three candles',
          sku: 'DW-102',
          pillar: 'offer',
          ugc_asset_id: null,
          media_url: null,
        },
      ],
    });
    await scheduleSocialPosts.execute(draft, execution('publish-1'), {} as never);
    await scheduleSocialPosts.execute(draft, execution('publish-1'), {} as never);
    const paths = graph.writes.map((write) => write.path);
    expect(paths.filter((path) => path.endsWith('/17841400000000001/media'))).toHaveLength(1);
    expect(paths.filter((path) => path.endsWith('/media_publish'))).toHaveLength(1);
    const feed = graph.writes.filter((write) => write.path.endsWith('/100000000000001/feed'));
    expect(feed).toHaveLength(1);
    expect(feed[0]?.body).toMatchObject({ published: false, scheduled_publish_time: Math.floor(slot.getTime() / 1000) });
    expect(graph.writes.find((write) => write.path.endsWith('/media'))?.body).toMatchObject({
      image_url: 'https://cdn.example.com/dw-102.jpg',
      alt_text: 'Three candles on a table',
    });
  });
});
