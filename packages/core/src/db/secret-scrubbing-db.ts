import { scrubValue } from '../log/scrub-secrets.js';
import type { Db, Row } from './db.js';

/**
 * The brain seam with secrets (also URL- and form-encoded) scrubbed from every argument before it
 * is sent — an error stored in signal_receipts, cron_runs, approvals, operator_messages, the
 * side-effect ledger or the Telegram outbox, a payload, a post's text — and from every row that
 * comes back, so a row written by a process that did not know the secret (another host, an older
 * release) is clean before anyone formats or truncates it (a cut-off token no longer matches).
 * Brain rows are read by other bots, posted to Discord and Telegram and printed by the CLI, so
 * this is the one place that keeps a credential out of all of them, whichever code wrote the text.
 */
export function withSecretsScrubbed(db: Db, secrets: readonly string[]): Db {
  if (secrets.length === 0) return db;
  return {
    transport: db.transport,
    async rpc<Result extends Row = Row>(functionName: string, args?: Record<string, unknown>) {
      const rows = await db.rpc<Result>(functionName, args === undefined ? undefined : (scrubValue(args, secrets) as Record<string, unknown>));
      return scrubValue(rows, secrets) as Result[];
    },
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
