import { z } from 'zod';
import { probeFailure, type ServiceProbe } from '@jbot/core';
import { callVendor, type VendorCallLimits } from '../vendor-call.js';
import { ConnectorError } from '../connector-error.js';
import type { LlmBillingConnector, LlmCostBucket } from './fleet-ops-connectors.js';

// Anthropic's Admin API cost report (GET /v1/organizations/cost_report): daily buckets, amounts
// as decimal strings in cents, paged with has_more / next_page. No SDK covers the Admin API, so
// this is a thin typed client on fetch (catalogue §10.4).
const costResult = z.object({
  amount: z.string(),
  currency: z.string(),
  model: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  cost_type: z.string().nullable().optional(),
  token_type: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
  workspace_id: z.string().nullable().optional(),
  context_window: z.string().nullable().optional(),
});
const costReportPage = z.object({
  data: z.array(z.object({ starting_at: z.string(), ending_at: z.string(), results: z.array(costResult) })),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
});

/** The cost report's wire shape, one page. */
export type AnthropicCostReportPage = z.output<typeof costReportPage>;

/** The Admin API client's settings: an admin key (sk-ant-admin…), never the Messages API key. */
export interface AnthropicAdminOptions extends VendorCallLimits {
  adminApiKey: string;
  /** ANTHROPIC_ADMIN_BASE_URL (tests, proxies); default https://api.anthropic.com. */
  baseUrl: string;
  /** Pages to follow at most (31 days per page; a month is one or two). */
  maxPages?: number;
}

const ANTHROPIC_VERSION = '2023-06-01';

/** An Admin API answer that is not a cost report: names the status, never the key. */
export class AnthropicAdminError extends ConnectorError {
  constructor(status: number, detail: string) {
    super(
      status === 401 || status === 403 ? 'anthropic_admin_auth' : 'anthropic_admin_failed',
      status === 401 || status === 403
        ? `Anthropic Admin API refused the key (HTTP ${status}): ANTHROPIC_ADMIN_API_KEY must be an admin key (sk-ant-admin…) of the organisation`
        : `Anthropic Admin API cost_report failed with HTTP ${status}: ${detail.slice(0, 200)}`,
      { facts: { status, operation: 'cost_report' } },
    );
  }
}

/** Read Anthropic's cost report for [from, to), grouped by description (model, token type), all pages. */
export async function fetchAnthropicCostReport(options: AnthropicAdminOptions, range: { from: Date; to: Date }): Promise<LlmCostBucket[]> {
  const buckets: LlmCostBucket[] = [];
  let page: string | null = null;
  for (let pages = 0; pages < (options.maxPages ?? 12); pages += 1) {
    const url = new URL('/v1/organizations/cost_report', options.baseUrl);
    url.searchParams.set('starting_at', range.from.toISOString());
    url.searchParams.set('ending_at', range.to.toISOString());
    url.searchParams.set('bucket_width', '1d');
    url.searchParams.append('group_by[]', 'description');
    url.searchParams.set('limit', '31');
    if (page !== null) url.searchParams.set('page', page);
    const body: AnthropicCostReportPage = await callVendor('Anthropic Admin', 'cost_report', options, async (signal) => {
      const response = await fetch(url, { headers: { 'x-api-key': options.adminApiKey, 'anthropic-version': ANTHROPIC_VERSION }, signal });
      const text = await response.text();
      if (!response.ok) throw new AnthropicAdminError(response.status, text);
      const parsed = costReportPage.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new ConnectorError('anthropic_admin_shape', `Anthropic cost_report answered an unexpected shape: ${parsed.error.message.slice(0, 200)}`);
      return parsed.data;
    });
    for (const bucket of body.data) {
      buckets.push({
        startingAt: bucket.starting_at,
        endingAt: bucket.ending_at,
        lines: bucket.results.map((result) => ({
          model: result.model ?? null,
          description: result.description ?? null,
          costType: result.cost_type ?? null,
          tokenType: result.token_type ?? null,
          // Lowest currency units (cents) as a decimal string: "123.45" is $1.2345.
          amountUsd: Number(result.amount) / 100,
        })),
      });
    }
    if (!body.has_more || body.next_page === null) return buckets;
    page = body.next_page;
  }
  throw new ConnectorError('anthropic_admin_pages', `Anthropic cost_report still had more pages after ${options.maxPages ?? 12}; narrow the range`);
}

/** The live bill: Anthropic's cost report with the organisation's admin key. */
export function createAnthropicBillingConnector(options: AnthropicAdminOptions): LlmBillingConnector {
  return { source: 'anthropic', costReport: (range) => fetchAnthropicCostReport(options, range) };
}

/** `fleet doctor`: one day of the cost report with the admin key (cheap, read-only). */
export async function probeAnthropicAdmin(options: AnthropicAdminOptions): Promise<ServiceProbe> {
  const to = new Date();
  try {
    const buckets = await fetchAnthropicCostReport({ ...options, maxPages: 1 }, { from: new Date(to.getTime() - 86_400_000), to });
    return { ok: true, detail: `cost report readable, ${buckets.length} day bucket${buckets.length === 1 ? '' : 's'}` };
  } catch (error) {
    return probeFailure(error);
  }
}
