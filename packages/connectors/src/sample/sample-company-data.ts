import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@jbot/core';

/** The data files that make up the sample company, keyed as sample_company_load expects them. */
export const SAMPLE_DATA_FILES = {
  company: 'company.json',
  hubspot: 'hubspot.json',
  shopify: 'shopify.json',
  freight: 'freight.json',
  meta_ads: 'meta-ads.json',
  klaviyo: 'klaviyo.json',
  klaviyo_sends: 'klaviyo-sends.json',
  klaviyo_flow_daily: 'klaviyo-flow-daily.json',
  klaviyo_campaign_stats: 'klaviyo-campaign-stats.json',
  amazon: 'amazon.json',
  content_calendar: 'content-calendar.json',
  ads_creative: 'ads-creative.json',
  social: 'social.json',
  shipbot: 'shipbot.json',
  reporting: 'reporting.json',
  disclosure: 'disclosure.json',
  calendar: 'calendar.json',
  gmail: 'gmail.json',
  creators: 'creators.json',
  fleet: 'fleet.json',
  contentbot: 'contentbot.json',
  shipbot_fba: 'shipbot-fba.json',
  paid_media: 'paid-media.json',
  mktg_search: 'mktg-search.json',
  hubspot_activity: 'hubspot-activity.json',
  opsbot: 'opsbot.json',
  mktg_email: 'mktg-email.json',
  accounting: 'accounting.json',
  salesbot_pipeline: 'salesbot-pipeline.json',
  salesbot_crm_new: 'salesbot-crm-new.json',
  salesbot_turnover: 'salesbot-turnover.json',
  salesbot_samples: 'salesbot-samples.json',
  salesbot_account_history: 'salesbot-account-history.json',
  salesbot_deductions: 'salesbot-deductions.json',
  salesbot_reorder_cadence: 'salesbot-reorder-cadence.json',
} as const;

/** The sample company's data as one object, one key per file. */
export type SampleCompanyData = Record<keyof typeof SAMPLE_DATA_FILES, Record<string, unknown>>;

/** Where the data files live (read at run time, not bundled, so bot bundles stay small). */
export function sampleDataDirectory(): string {
  return path.join(repositoryRoot, 'packages', 'connectors', 'sample-data');
}

/** Read the sample company's data files (no network). */
export function readSampleCompanyData(directory = sampleDataDirectory()): SampleCompanyData {
  const data = {} as SampleCompanyData;
  for (const [key, file] of Object.entries(SAMPLE_DATA_FILES) as Array<[keyof typeof SAMPLE_DATA_FILES, string]>) {
    data[key] = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as Record<string, unknown>;
  }
  return data;
}
