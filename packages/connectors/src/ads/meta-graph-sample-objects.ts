import type { SampleCompanyData } from '../sample/sample-company-data.js';

type Row = Record<string, unknown>;

/** The sample company as Graph API objects: what a fake Graph server is seeded with to test the live Meta connectors. */
export interface MetaGraphSampleObjects {
  adAccountId: string;
  adSets: Row[];
  ads: Row[];
  adInsights: Row[];
  weeklyFrequency: Record<string, number>;
  media: Row[];
  mediaInsights: Record<string, Record<string, number>>;
  mediaComments: Record<string, Row[]>;
  pagePosts: Row[];
  postInsights: Record<string, Record<string, unknown>>;
  postComments: Record<string, Row[]>;
  conversations: Record<string, Row[]>;
}

const list = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/**
 * Convert the ad-creative and social data files to Graph shapes (ads with `creative{}` and
 * `adlabels`, ad-level insights with `actions`, IG media with insights and comments, Page posts,
 * conversations), with day and minute offsets resolved against `now` as the loader does.
 */
export function metaGraphObjectsFromSample(data: SampleCompanyData, now = new Date()): MetaGraphSampleObjects {
  const creative = data.ads_creative;
  const social = data.social;
  const day = (daysAgo: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const adSets = list(creative['ad_sets']).map((set) => ({
    id: set['id'],
    name: set['name'],
    campaign_id: set['campaign_id'],
    status: set['status'] ?? 'ACTIVE',
    daily_budget: String(Math.round(Number(set['daily_budget']) * 100)),
    adlabels: [{ name: `brand:${String(set['brand'])}` }, ...(set['audience'] === 'retargeting' ? [{ name: 'retargeting' }] : [])],
  }));
  const ads = list(creative['ads']).map((ad) => ({
    id: ad['id'],
    name: ad['name'],
    adset_id: ad['ad_set_id'],
    campaign_id: ad['campaign_id'],
    status: ad['status'],
    created_time: at(Number(ad['created_days_ago']) * 1440),
    updated_time: at(Number(ad['created_days_ago']) * 1440),
    adlabels: [
      ...(ad['queued'] === true ? [{ name: 'queued' }] : []),
      { name: `format:${String(ad['format'])}` },
      ...(ad['hook'] === null ? [] : [{ name: `hook:${String(ad['hook'])}` }]),
      ...(ad['creator'] === null ? [] : [{ name: `creator:${String(ad['creator'])}` }]),
      { name: `brand:${String(ad['brand'])}` },
      { name: `sku:${String(ad['sku'])}` },
    ],
    creative: {
      id: `c${String(ad['id'])}`,
      body: ad['body'],
      title: ad['title'],
      image_hash: ad['asset_id'],
      ...(ad['paid_partnership_label'] === true ? { branded_content_sponsor_page_id: '100000000000001' } : {}),
    },
  }));
  const insights = list(creative['insights']);
  const adInsights = insights.map((row) => ({
    ad_id: row['ad_id'],
    date_start: day(Number(row['days_ago'])),
    date_stop: day(Number(row['days_ago'])),
    impressions: String(row['impressions']),
    reach: String(row['reach']),
    frequency: String(Number(row['impressions']) / Math.max(1, Number(row['reach']))),
    inline_link_clicks: String(row['link_clicks']),
    spend: String(row['spend']),
    actions: [
      { action_type: 'purchase', value: String(row['purchases']) },
      { action_type: 'video_view', value: String(row['video_3s_views']) },
    ],
    video_thruplay_watched_actions: [{ action_type: 'video_view', value: String(row['thruplays']) }],
  }));
  const weeklyFrequency: Record<string, number> = {};
  for (const row of [...insights].sort((left, right) => Number(right['days_ago']) - Number(left['days_ago'])))
    weeklyFrequency[String(row['ad_id'])] = Number(row['frequency_7d']);
  const posts = list(social['posts']);
  const published = (post: Row) => new Date(Date.parse(`${day(Number(post['days_ago']))}T00:00:00Z`) + Number(post['hour']) * 3_600_000).toISOString();
  const media = posts
    .filter((post) => post['platform'] === 'instagram')
    .map((post) => ({
      id: post['id'],
      caption: post['caption'],
      media_type: post['format'] === 'carousel' ? 'CAROUSEL_ALBUM' : post['format'] === 'reel' ? 'VIDEO' : 'IMAGE',
      media_product_type: post['format'] === 'reel' ? 'REELS' : 'FEED',
      permalink: post['permalink'],
      timestamp: published(post),
    }));
  const mediaInsights = Object.fromEntries(
    posts
      .filter((post) => post['platform'] === 'instagram')
      .map((post) => [
        String(post['id']),
        {
          reach: Number(post['reach']),
          saved: Number(post['saves']),
          shares: Number(post['shares']),
          total_interactions: Number(post['interactions']),
          views: Number(post['views']),
        },
      ]),
  );
  const pagePosts = posts
    .filter((post) => post['platform'] === 'facebook')
    .map((post) => ({ id: post['id'], message: post['caption'], created_time: published(post), permalink_url: post['permalink'] }));
  const postInsights = Object.fromEntries(
    posts
      .filter((post) => post['platform'] === 'facebook')
      .map((post) => [
        String(post['id']),
        {
          post_impressions_unique: Number(post['reach']),
          post_impressions: Number(post['views']),
          post_reactions_by_type_total: { like: Number(post['interactions']) },
          post_clicks: 0,
        },
      ]),
  );
  const comments = list(social['comments']);
  const mediaComments: Record<string, Row[]> = {};
  const postComments: Record<string, Row[]> = {};
  const conversations: Record<string, Row[]> = { instagram: [], messenger: [] };
  for (const comment of comments) {
    const created = at(Number(comment['minutes_ago']));
    if (comment['kind'] === 'dm') {
      const platform = comment['platform'] === 'instagram' ? 'instagram' : 'messenger';
      conversations[platform]?.push({
        id: `t_${String(comment['id'])}`,
        updated_time: created,
        messages: {
          data: [
            {
              id: comment['id'],
              message: comment['text'],
              created_time: created,
              from: { id: `u_${String(comment['author'])}`, username: comment['author'], name: comment['author'] },
            },
          ],
        },
      });
    } else if (comment['platform'] === 'instagram') {
      (mediaComments[String(comment['post_id'])] ??= []).push({
        id: comment['id'],
        text: comment['text'],
        timestamp: created,
        username: comment['author'],
        hidden: false,
        from: { id: `u_${String(comment['author'])}`, username: comment['author'] },
      });
    } else if (comment['platform'] === 'facebook') {
      (postComments[String(comment['post_id'])] ??= []).push({
        id: comment['id'],
        message: comment['text'],
        created_time: created,
        from: { id: `u_${String(comment['author'])}`, name: comment['author'] },
        is_hidden: false,
        comment_count: 0,
      });
    }
  }
  return {
    adAccountId: String(data.meta_ads['ad_account_id'] ?? 'act_100'),
    adSets,
    ads,
    adInsights,
    weeklyFrequency,
    media,
    mediaInsights,
    mediaComments,
    pagePosts,
    postInsights,
    postComments,
    conversations,
  };
}
