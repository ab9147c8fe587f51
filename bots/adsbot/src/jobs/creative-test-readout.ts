import { defineJob, envInteger, envNumber, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { AdDailyInsight, Connectors, CreativeAd } from '@jbot/connectors';
import { applyCreativeTestResult } from '../actions/apply-creative-test-result.js';
import { twoProportionPValue } from '../two-proportion-test.js';

const DAY_MS = 86_400_000;

/** The catalogue's thresholds for calling a creative test. */
export const creativeTestSettings = envSettings({
  ADS_TEST_MIN_DAYS: envInteger(7, 1, 90),
  ADS_TEST_MIN_PURCHASES: envInteger(30, 1, 100_000),
  /** The winner's CPA must be at least this much better than the runner-up's, in percent. */
  ADS_TEST_MIN_CPA_GAIN_PCT: envNumber(20),
  ADS_TEST_MAX_P_VALUE: envNumber(0.1),
  /** 3-second views ÷ impressions under this (percent) is a hook problem. */
  ADS_TEST_MIN_HOOK_RATE_PCT: envNumber(20),
  /** An ad with no purchase after this many target CPAs of spend is paused. */
  ADS_TEST_ZERO_PURCHASE_CPA_MULTIPLE: envNumber(2),
});

/** The parsed settings. */
export type CreativeTestSettings = ReturnType<typeof creativeTestSettings.load>;

/** One ad of a test, summed over the test's days. */
export interface TestArm {
  ad_id: string;
  ad: string;
  format: string;
  hook: string | null;
  spend: number;
  purchases: number;
  link_clicks: number;
  cpa: number | null;
  hook_rate_pct: number | null;
}

/** The call on one test that has enough data. */
export interface TestReadout {
  test_id: string;
  test: string;
  days_live: number;
  purchases: number;
  verdict: 'winner' | 'no_winner';
  winner_ad_id: string | null;
  winner: string | null;
  p_value: number | null;
  cpa_gain_pct: number | null;
  pause: Array<{ ad_id: string; ad: string; why: string }>;
  hook_problems: Array<{ ad_id: string; ad: string; hook_rate_pct: number }>;
  arms: TestArm[];
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function armOf(ad: CreativeAd, rows: readonly AdDailyInsight[]): TestArm {
  const sum = (pick: (row: AdDailyInsight) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const impressions = sum((row) => row.impressions);
  const purchases = sum((row) => row.purchases);
  const spend = sum((row) => row.spend);
  // A static image has no 3-second view: the hook rate is a video measure.
  const video = ad.format !== 'static' && ad.format !== 'carousel';
  return {
    ad_id: ad.id,
    ad: ad.name,
    format: ad.format,
    hook: ad.hook,
    spend: round(spend, 2),
    purchases,
    link_clicks: sum((row) => row.linkClicks),
    cpa: purchases === 0 ? null : round(spend / purchases, 2),
    hook_rate_pct: video && impressions > 0 ? round((sum((row) => row.video3sViews) / impressions) * 100) : null,
  };
}

/**
 * Read every creative test deterministically: tests live ≥ 7 days with ≥ 30 purchases combined
 * are called. The winner is the lowest-CPA ad when its CPA is ≥ 20% better than the runner-up's
 * and its conversion rate (purchases per link click) differs at p < 0.1; the runner-up and any
 * zero-purchase ad past 2 × target CPA of spend are paused; videos with a hook rate under 20%
 * are named.
 */
export async function readCreativeTests(connectors: Pick<Connectors, 'ads'>, settings: CreativeTestSettings, now = new Date()): Promise<TestReadout[]> {
  const [tests, ads, insights] = await Promise.all([
    connectors.ads.listCreativeTests(),
    connectors.ads.listAds(),
    connectors.ads.listAdInsights({ since: new Date(now.getTime() - 28 * DAY_MS) }),
  ]);
  const readouts: TestReadout[] = [];
  for (const test of tests) {
    const daysLive = Math.floor((now.getTime() - new Date(test.startedAt).getTime()) / DAY_MS);
    const arms = test.adIds.flatMap((adId) => {
      const ad = ads.find((candidate) => candidate.id === adId);
      return ad === undefined
        ? []
        : [
            armOf(
              ad,
              insights.filter((row) => row.adId === adId),
            ),
          ];
    });
    const purchases = arms.reduce((sum, arm) => sum + arm.purchases, 0);
    if (daysLive < settings.ADS_TEST_MIN_DAYS || purchases < settings.ADS_TEST_MIN_PURCHASES) continue;
    const converting = arms.filter((arm) => arm.cpa !== null).sort((left, right) => (left.cpa ?? 0) - (right.cpa ?? 0));
    const [best, runnerUp] = converting;
    let winner: TestArm | null = null;
    let pValue: number | null = null;
    let gain: number | null = null;
    if (best !== undefined && runnerUp !== undefined && best.cpa !== null && runnerUp.cpa !== null) {
      gain = round((1 - best.cpa / runnerUp.cpa) * 100);
      pValue = round(twoProportionPValue(best.purchases, best.link_clicks, runnerUp.purchases, runnerUp.link_clicks), 3);
      if (gain >= settings.ADS_TEST_MIN_CPA_GAIN_PCT && pValue < settings.ADS_TEST_MAX_P_VALUE) winner = best;
    }
    const pause: TestReadout['pause'] = [];
    for (const arm of arms) {
      if (arm.purchases === 0 && arm.spend >= settings.ADS_TEST_ZERO_PURCHASE_CPA_MULTIPLE * test.targetCpa)
        pause.push({
          ad_id: arm.ad_id,
          ad: arm.ad,
          why: `no purchase after $${arm.spend} (≥ ${settings.ADS_TEST_ZERO_PURCHASE_CPA_MULTIPLE} × target CPA $${test.targetCpa})`,
        });
      else if (winner !== null && arm.ad_id !== winner.ad_id && arm.purchases > 0)
        pause.push({ ad_id: arm.ad_id, ad: arm.ad, why: `CPA $${arm.cpa} vs the winner's $${winner.cpa}` });
    }
    readouts.push({
      test_id: test.id,
      test: test.name,
      days_live: daysLive,
      purchases,
      verdict: winner === null ? 'no_winner' : 'winner',
      winner_ad_id: winner?.ad_id ?? null,
      winner: winner?.ad ?? null,
      p_value: pValue,
      cpa_gain_pct: gain,
      pause,
      hook_problems: arms.flatMap((arm) =>
        arm.hook_rate_pct !== null && arm.hook_rate_pct < settings.ADS_TEST_MIN_HOOK_RATE_PCT
          ? [{ ad_id: arm.ad_id, ad: arm.ad, hook_rate_pct: arm.hook_rate_pct }]
          : [],
      ),
      arms,
    });
  }
  return readouts;
}

/** The #ads-bot post. */
export function readoutMessage(readouts: readonly TestReadout[]): string {
  return readouts
    .map((readout) => {
      const head =
        readout.verdict === 'winner'
          ? `**${readout.test}**: "${readout.winner}" wins — CPA ${readout.cpa_gain_pct}% better than the runner-up (p = ${readout.p_value}, ${readout.purchases} purchases, ${readout.days_live} days)`
          : `**${readout.test}**: no winner yet (${readout.purchases} purchases, ${readout.days_live} days${readout.p_value === null ? '' : `, best gap ${readout.cpa_gain_pct}% at p = ${readout.p_value}`})`;
      const lines = [
        head,
        ...readout.pause.map((ad) => `  • pause "${ad.ad}": ${ad.why}`),
        ...readout.hook_problems.map((ad) => `  • hook problem on "${ad.ad}": ${ad.hook_rate_pct}% of impressions watch 3 s`),
      ];
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Record what the tests taught, by hook and format, for creative-briefs and socialbot. */
async function recordLearnings(context: BotContext, readouts: readonly TestReadout[]): Promise<number> {
  let recorded = 0;
  for (const readout of readouts) {
    for (const arm of readout.arms) {
      const verdict = readout.winner_ad_id === arm.ad_id ? 'won' : readout.pause.some((ad) => ad.ad_id === arm.ad_id) ? 'lost' : 'even';
      for (const [kind, value] of [
        ['hook', arm.hook],
        ['format', arm.format],
      ] as const) {
        if (value === null) continue;
        await context.db.rpc('record_creative_learning', {
          p_bot: context.bot,
          p_source: `${readout.test_id}:${arm.ad_id}`,
          p_tag_kind: kind,
          p_tag_value: value,
          p_verdict: verdict,
          p_metric: 'cpa',
          p_value: arm.cpa,
          p_n: arm.purchases,
        });
        recorded += 1;
      }
    }
    for (const problem of readout.hook_problems)
      await context.db.rpc('record_creative_learning', {
        p_bot: context.bot,
        p_source: `${readout.test_id}:${problem.ad_id}`,
        p_tag_kind: 'hook_rate',
        p_tag_value: readout.arms.find((arm) => arm.ad_id === problem.ad_id)?.hook ?? 'unknown',
        p_verdict: 'weak_hook',
        p_metric: 'hook_rate_pct',
        p_value: problem.hook_rate_pct,
        p_n: 1,
      });
  }
  return recorded;
}

/** Run creative-test-readout once. */
export async function runCreativeTestReadout(context: BotContext & JobRunInfo, settings: CreativeTestSettings, now = new Date()) {
  const readouts = await readCreativeTests(context.connectors, settings, now);
  const outcome = await reportFindings(context, {
    findings: readouts.map(({ arms, ...call }) => ({ ...call, arms: arms.map((arm) => arm.ad_id) })),
    noun: 'creative test call',
    message: () => ({ title: `Creative tests: ${readouts.length} with enough data`, text: readoutMessage(readouts), kind: 'note' }),
    nothingLine: 'No creative test has 7 days and 30 purchases yet.',
  });
  await recordLearnings(context, readouts);
  const approvals: string[] = [];
  for (const readout of readouts) {
    if (readout.pause.length === 0) continue;
    const { approval } = await context.approvals.request({
      action: applyCreativeTestResult,
      title: `${readout.test}: ${readout.winner === null ? '' : `keep "${readout.winner}", `}pause ${readout.pause.length} ad${readout.pause.length === 1 ? '' : 's'}`,
      draft: { test_id: readout.test_id, test: readout.test, winner_ad_id: readout.winner_ad_id, pause: readout.pause },
      requestKey: `creative-test-readout:${readout.test_id}:${fingerprintOf(readout.pause.map((ad) => ad.ad_id))}`,
    });
    approvals.push(approval.id);
  }
  return { outcome, readouts, approvals };
}

/** adsbot's creative-test-readout: daily 09:00 (fleet time zone). */
export const creativeTestReadout = defineJob({
  id: 'creative-test-readout',
  schedule: '0 9 * * *',
  description:
    'Creative tests live ≥ 7 days with ≥ 30 purchases: winner at ≥ 20% better CPA and p < 0.1, hook rate < 20%, zero-purchase losers → apply_creative_test_result',
  timeoutMs: 120_000,
  missed: 'once',
  settings: creativeTestSettings,
  async run(context) {
    const { outcome, approvals } = await runCreativeTestReadout(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvals.length === 0 ? '' : `; apply_creative_test_result asked for ${approvals.length}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals },
    });
  },
});
