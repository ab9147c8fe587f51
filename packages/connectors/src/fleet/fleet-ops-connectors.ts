// The fleet's own operations as sysbot reads them: credentials that expire, database backups,
// the bots' log lines, and Anthropic's own bill. Each is an interface with a sample adapter over
// the sample company (the embedded default) and a live adapter on the real thing.

/** One credential or certificate and what its last probe said. */
export interface CredentialStatus {
  connector: string;
  credential: string;
  kind: 'token' | 'app_authorisation' | 'certificate' | 'api_key';
  /** Null: does not expire (a probe still proves it works). */
  expiresAt: string | null;
  /** The probe's HTTP status (401: revoked or expired now); null where there is nothing to probe. */
  probeStatus: number | null;
  checkedAt: string;
}

/** Credentials the fleet depends on (Meta debug_token, SP-API authorisation, TLS certificates …). */
export interface CredentialsConnector {
  readonly source: string;
  listCredentials(): Promise<CredentialStatus[]>;
}

/** One database backup object. */
export interface BackupObject {
  name: string;
  createdAt: string;
  sizeBytes: number;
}

/** One restore test: a backup restored into a scratch Postgres and its rows counted. */
export interface RestoreTest {
  testedAt: string;
  backupName: string;
  ok: boolean;
  tables: number | null;
  rows: number | null;
  detail: string | null;
}

/** Where the brain's backups are (a pg_dump directory on the VPS, or object storage). */
export interface BackupsConnector {
  readonly source: string;
  /** Newest first. */
  listBackups(): Promise<BackupObject[]>;
  /** Newest first. */
  listRestoreTests(): Promise<RestoreTest[]>;
}

/** One log line as written (pino JSON, or plain text), with where it came from. */
export interface FleetLogLine {
  loggedAt: string | null;
  origin: string;
  lineNumber: number;
  line: string;
}

/** The bots' own logs, for the daily security review. */
export interface FleetLogsConnector {
  readonly source: string;
  /** Lines logged since `since` (lines without a time are always included). */
  readLines(since: Date): Promise<FleetLogLine[]>;
}

/** One cost line of Anthropic's cost report, in USD. */
export interface LlmCostLine {
  model: string | null;
  description: string | null;
  costType: string | null;
  tokenType: string | null;
  amountUsd: number;
}

/** One day (UTC) of Anthropic's bill. */
export interface LlmCostBucket {
  startingAt: string;
  endingAt: string;
  lines: LlmCostLine[];
}

/** What Anthropic billed the organisation (Admin API cost_report), per day. */
export interface LlmBillingConnector {
  readonly source: string;
  costReport(range: { from: Date; to: Date }): Promise<LlmCostBucket[]>;
}
