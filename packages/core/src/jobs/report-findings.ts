import type { BotContext, JobRunInfo } from '../bot/bot-context.js';
import type { ChannelMessage } from '../channels/channel.js';
import { fingerprintOf } from './last-run.js';
import { jobOutcome, NOTHING_TO_REPORT, type JobOutcome } from './job-outcome.js';

/** What reportFindings needs from a job. */
export interface FindingsReport<Finding> {
  /** The finding set, as deterministic data (ids, counts, dates): its fingerprint decides "changed". */
  findings: readonly Finding[];
  /** The channel post for a changed, non-empty set. */
  message: (findings: readonly Finding[]) => ChannelMessage | string;
  /** What the findings are called in the outcome line ("late shipment"). */
  noun: string;
  /** The line a manual run posts when there is nothing (default "<job>: nothing to report"). */
  nothingLine?: string;
}

/**
 * The catalogue's "post on change": post the findings to the bot's channel only when the set
 * differs from the last successful run's, and record a one-line outcome with the set's
 * fingerprint either way. An empty set is "nothing to report" — posted as one line only on a
 * manual run (`fleet run`), so a person asking sees an answer and the work floor stays quiet.
 */
export async function reportFindings<Finding>(
  context: BotContext & JobRunInfo,
  report: FindingsReport<Finding>,
): Promise<JobOutcome<{ findings: number; posted: boolean }>> {
  const fingerprint = fingerprintOf(report.findings);
  const count = report.findings.length;
  if (count === 0) {
    if (context.manual)
      await context.channel.post({ title: `${context.job}: nothing to report`, text: report.nothingLine ?? 'No findings on this run.', kind: 'note' });
    return jobOutcome(NOTHING_TO_REPORT, { fingerprint, detail: { findings: 0, posted: context.manual } });
  }
  const label = `${count} ${report.noun}${count === 1 ? '' : 's'}`;
  const last = await context.lastRun();
  if (!context.manual && last?.fingerprint === fingerprint) {
    return jobOutcome(`${label}, unchanged since the last run (not reposted)`, { fingerprint, detail: { findings: count, posted: false } });
  }
  const message = report.message(report.findings);
  await context.channel.post(typeof message === 'string' ? { title: `${context.job}: ${label}`, text: message, kind: 'note' } : message);
  return jobOutcome(`${label}, posted`, { fingerprint, detail: { findings: count, posted: true } });
}

/**
 * The catalogue's ⟳ skip-if-unchanged: fingerprint exactly what would go to the model; when it
 * equals the last successful run's, make no model call (the earlier draft stands).
 */
export async function unlessUnchanged<Value>(
  context: BotContext & JobRunInfo,
  input: unknown,
  draft: () => Promise<Value>,
): Promise<{ skipped: true; fingerprint: string } | { skipped: false; fingerprint: string; value: Value }> {
  const fingerprint = fingerprintOf(input);
  const last = await context.lastRun();
  if (last?.fingerprint === fingerprint) return { skipped: true, fingerprint };
  return { skipped: false, fingerprint, value: await draft() };
}
