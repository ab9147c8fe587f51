import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '@jbot/core';
import { sampleDataDirectory } from '../sample/sample-company-data.js';
import type { NewsConnector } from './news-connector.js';
import { parseFeedXml } from './parse-feed.js';

/**
 * The sample company's news: a real RSS document (sample-data/news-feed.xml) whose dates are
 * written as {{hours_ago:N}} and resolved against the sample company's load time (so an item's date
 * is the same on every read, as the rest of the sample data's offsets), parsed by the same parser
 * as live feeds. Items dated after now are not out yet.
 */
export function createSampleNewsConnector(db: Db, options: { file?: string } = {}): NewsConnector {
  const file = options.file ?? path.join(sampleDataDirectory(), 'news-feed.xml');
  return {
    source: 'sample',
    async listItems(since) {
      const now = new Date();
      const [status] = await db.rpc('sample_company_status');
      const loadedAt = status?.['loaded_at'] == null ? now : new Date(String(status['loaded_at']));
      const xml = (await fs.readFile(file, 'utf8')).replace(/\{\{hours_ago:(\d+)\}\}/g, (_, hours: string) =>
        new Date(loadedAt.getTime() - Number(hours) * 3_600_000).toUTCString(),
      );
      const items = await parseFeedXml(xml, `sample:${path.basename(file)}`);
      return {
        items: items
          .filter((item) => Date.parse(item.publishedAt) > since.getTime() && Date.parse(item.publishedAt) <= now.getTime())
          .sort((left, right) => right.publishedAt.localeCompare(left.publishedAt)),
        failures: [],
      };
    },
  };
}
