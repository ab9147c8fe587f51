import { defineJob, envInteger, envNumber, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { BackupObject, RestoreTest } from '@jbot/connectors';

/** backup-check's thresholds (catalogue defaults). */
export const backupCheckSettings = envSettings({
  BACKUP_MAX_AGE_HOURS: envInteger(26, 1, 24 * 30),
  BACKUP_MIN_SIZE_SHARE: envNumber(0.5, 0),
  BACKUP_MEDIAN_DAYS: envInteger(7, 1, 90),
  BACKUP_RESTORE_TEST_MAX_DAYS: envInteger(8, 1, 90),
});

/** The parsed settings. */
export type BackupCheckConfig = SettingsOf<typeof backupCheckSettings>;

/** What is wrong with the backups, if anything. */
export interface BackupVerdict {
  problems: Array<'missing' | 'stale' | 'small' | 'restore_failed' | 'restore_stale'>;
  newest: BackupObject | null;
  medianBytes: number | null;
  restoreTest: RestoreTest | null;
  lines: string[];
}

const HOUR_MS = 3_600_000;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** The rules, pure: newest older than 26 h or smaller than half the 7-day median; restore test failed or older than 8 days. */
export function judgeBackups(backups: readonly BackupObject[], restoreTests: readonly RestoreTest[], now: Date, config: BackupCheckConfig): BackupVerdict {
  const sorted = [...backups].sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  const newest = sorted[0] ?? null;
  const windowStart = now.getTime() - config.BACKUP_MEDIAN_DAYS * 24 * HOUR_MS;
  // The median of the others in the window, so one tiny newest dump does not drag its own yardstick down.
  const medianBytes = median(
    sorted
      .slice(1)
      .filter((backup) => Date.parse(backup.createdAt) >= windowStart)
      .map((backup) => backup.sizeBytes),
  );
  const restoreTest = [...restoreTests].sort((left, right) => right.testedAt.localeCompare(left.testedAt))[0] ?? null;
  const verdict: BackupVerdict = { problems: [], newest, medianBytes, restoreTest, lines: [] };
  if (newest === null) {
    verdict.problems.push('missing');
    verdict.lines.push('no backup found at all');
  } else {
    const ageHours = (now.getTime() - Date.parse(newest.createdAt)) / HOUR_MS;
    if (ageHours > config.BACKUP_MAX_AGE_HOURS) {
      verdict.problems.push('stale');
      verdict.lines.push(`newest backup ${newest.name} is ${Math.round(ageHours)} h old (limit ${config.BACKUP_MAX_AGE_HOURS} h)`);
    }
    if (medianBytes !== null && newest.sizeBytes < config.BACKUP_MIN_SIZE_SHARE * medianBytes) {
      verdict.problems.push('small');
      verdict.lines.push(
        `newest backup ${newest.name} is ${megabytes(newest.sizeBytes)}, under ${Math.round(config.BACKUP_MIN_SIZE_SHARE * 100)}% of the ${config.BACKUP_MEDIAN_DAYS}-day median ${megabytes(medianBytes)}`,
      );
    }
  }
  if (restoreTest === null || now.getTime() - Date.parse(restoreTest.testedAt) > config.BACKUP_RESTORE_TEST_MAX_DAYS * 24 * HOUR_MS) {
    verdict.problems.push('restore_stale');
    verdict.lines.push(
      restoreTest === null
        ? 'no restore test recorded: a backup nobody restored is a hope, not a backup'
        : `the last restore test was ${restoreTest.testedAt.slice(0, 10)}, more than ${config.BACKUP_RESTORE_TEST_MAX_DAYS} days ago`,
    );
  } else if (!restoreTest.ok) {
    verdict.problems.push('restore_failed');
    verdict.lines.push(
      `the restore test of ${restoreTest.backupName} on ${restoreTest.testedAt.slice(0, 10)} failed${restoreTest.detail === null ? '' : `: ${restoreTest.detail}`}`,
    );
  }
  return verdict;
}

/** Run the check once: backup_missing (once a day) when anything is wrong, a post when the verdict changed. */
export async function runBackupCheck(context: BotContext & JobRunInfo, config: BackupCheckConfig) {
  // The data (calls, expiries, dumps, log lines) is stamped by the wall clock; the tick may be a
  // catch-up or a simulated clock (bench day), so "now" is the real one and the tick names the day.
  const now = new Date();
  const { backups } = context.connectors;
  const verdict = judgeBackups(await backups.listBackups(), await backups.listRestoreTests(), now, config);
  const [firstProblem, ...otherProblems] = verdict.problems;
  if (firstProblem !== undefined)
    await context.signals.emit(
      'backup_missing',
      {
        newest_backup_at: verdict.newest?.createdAt ?? null,
        size_bytes: verdict.newest?.sizeBytes ?? null,
        restore_test_at: verdict.restoreTest?.testedAt ?? null,
        problems: [firstProblem, ...otherProblems],
        detail: verdict.lines.join('; '),
      },
      {
        severity: 'alert',
        dedupeKey: `backup_missing:${verdict.problems.join(',')}:${context.scheduledFor.toISOString().slice(0, 10)}`,
        dedupeWindowMs: 86_400_000,
      },
    );
  const outcome = await reportFindings(context, {
    findings: verdict.problems,
    noun: 'backup problem',
    message: () => ({
      kind: 'report',
      title: `Backups: ${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`,
      text: verdict.lines.join('\n'),
      severity: 'alert',
    }),
    nothingLine:
      verdict.newest === null
        ? 'no backups'
        : `newest backup ${verdict.newest.name} (${megabytes(verdict.newest.sizeBytes)}, ${verdict.newest.createdAt.slice(0, 16)}Z, ${backups.source}); last restore test ${verdict.restoreTest?.testedAt.slice(0, 10) ?? '?'} passed.`,
  });
  return { ...outcome, detail: { ...outcome.detail, problems: verdict.problems } };
}

/** sysbot's backup-check: daily at 04:00, last night's backup exists, is recent and full-sized, and restores. */
export const backupCheck = defineJob({
  id: 'backup-check',
  schedule: '0 4 * * *',
  description: "Last night's database backup exists, is recent and full-sized, and a recent restore test passed → backup_missing",
  timeoutMs: 120_000,
  overlap: 'skip',
  missed: 'once',
  settings: backupCheckSettings,
  run: (context) => runBackupCheck(context, context.config),
});
