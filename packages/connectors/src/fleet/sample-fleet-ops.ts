import type { Db } from '@jbot/core';
import { instant, numberOrNull, text } from '../sample/row-values.js';
import type {
  BackupsConnector,
  CredentialStatus,
  CredentialsConnector,
  FleetLogsConnector,
  LlmBillingConnector,
  LlmCostBucket,
} from './fleet-ops-connectors.js';

/** Credentials as the sample company's table records them (its Meta token expires in 9 days). */
export function createSampleCredentialsConnector(db: Db): CredentialsConnector {
  return {
    source: 'sample',
    async listCredentials() {
      const rows = await db.rpc('sample_fleet_credentials');
      return rows.map((row): CredentialStatus => ({
        connector: String(row['connector']),
        credential: String(row['credential']),
        kind: String(row['kind']) as CredentialStatus['kind'],
        expiresAt: instant(row['expires_at']),
        probeStatus: numberOrNull(row['probe_status']),
        checkedAt: instant(row['checked_at']) ?? new Date().toISOString(),
      }));
    },
  };
}

/** The sample company's nightly dumps and restore tests. */
export function createSampleBackupsConnector(db: Db): BackupsConnector {
  return {
    source: 'sample',
    async listBackups() {
      const rows = await db.rpc('sample_fleet_backups');
      return rows.map((row) => ({ name: String(row['name']), createdAt: instant(row['created_at']) ?? '', sizeBytes: Number(row['size_bytes']) }));
    },
    async listRestoreTests() {
      const rows = await db.rpc('sample_fleet_restore_tests');
      return rows.map((row) => ({
        testedAt: instant(row['tested_at']) ?? '',
        backupName: String(row['backup_name']),
        ok: row['ok'] === true,
        tables: numberOrNull(row['tables']),
        rows: numberOrNull(row['rows']),
        detail: text(row['detail']),
      }));
    },
  };
}

/** The sample company's log lines (one carries a canary secret). */
export function createSampleFleetLogsConnector(db: Db): FleetLogsConnector {
  return {
    source: 'sample',
    async readLines(since) {
      const rows = await db.rpc('sample_fleet_log_lines', { p_since: since.toISOString() });
      return rows.map((row, index) => ({
        loggedAt: instant(row['logged_at']),
        origin: `sample:${String(row['bot'])}`,
        lineNumber: index + 1,
        line: String(row['line']),
      }));
    },
  };
}

/** Anthropic's per-MTok list prices the sample bill uses (the repo's default models and the 4.5 family). */
export const SAMPLE_ANTHROPIC_PRICES: Readonly<Record<string, { input: number; output: number; cacheWrite: number; cacheRead: number }>> = {
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
};

/**
 * The sample company's Anthropic bill: the tokens the fleet recorded, priced by Anthropic's own
 * list (not the fleet's LLM_PRICES), one bucket per UTC day — so a stale price entry shows up as
 * a mismatch, as it would against the real cost report.
 */
export function createSampleLlmBillingConnector(db: Db, prices = SAMPLE_ANTHROPIC_PRICES): LlmBillingConnector {
  return {
    source: 'sample',
    async costReport({ from, to }) {
      const buckets: LlmCostBucket[] = [];
      for (let start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())); start < to;) {
        const end = new Date(start.getTime() + 86_400_000);
        const rows = await db.rpc('llm_usage_by_model', { p_from: start.toISOString(), p_to: end.toISOString() });
        buckets.push({
          startingAt: start.toISOString(),
          endingAt: end.toISOString(),
          lines: rows.map((row) => {
            const model = String(row['model']);
            const price = prices[model];
            const tokens = (column: string) => Number(row[column] ?? 0) / 1_000_000;
            // An unknown model is billed as what the fleet recorded (there is no list to disagree with).
            const amountUsd =
              price === undefined
                ? Number(row['cost_usd'] ?? 0)
                : tokens('input_tokens') * price.input +
                  tokens('output_tokens') * price.output +
                  tokens('cache_write_tokens') * price.cacheWrite +
                  tokens('cache_read_tokens') * price.cacheRead;
            return { model, description: model, costType: 'tokens', tokenType: null, amountUsd };
          }),
        });
        start = end;
      }
      return buckets;
    },
  };
}
