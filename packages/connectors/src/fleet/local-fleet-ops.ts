import fs from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import type {
  BackupObject,
  BackupsConnector,
  CredentialStatus,
  CredentialsConnector,
  FleetLogLine,
  FleetLogsConnector,
  RestoreTest,
} from './fleet-ops-connectors.js';

// The live adapters that read this machine: a pg_dump directory, log files, TLS endpoints.

const DUMP_NAME = /\.(dump|sql|sql\.gz|backup|tar|pgdump)$/i;
/** The restore-test log a restore script appends to, one JSON object a line, in the backup directory. */
export const RESTORE_TEST_LOG = 'restore-tests.jsonl';

/** Backups as pg_dump files in a directory (BACKUP_DIRECTORY) and the restore-test log beside them. */
export function createDirectoryBackupsConnector(directory: string): BackupsConnector {
  return {
    source: 'directory',
    async listBackups() {
      const names = await fs.readdir(directory);
      const backups: BackupObject[] = [];
      for (const name of names.filter((candidate) => DUMP_NAME.test(candidate))) {
        const stat = await fs.stat(path.join(directory, name));
        if (stat.isFile()) backups.push({ name, createdAt: stat.mtime.toISOString(), sizeBytes: stat.size });
      }
      return backups.sort((left, right) => right.createdAt.localeCompare(left.createdAt));
    },
    async listRestoreTests() {
      let text: string;
      try {
        text = await fs.readFile(path.join(directory, RESTORE_TEST_LOG), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const tests: RestoreTest[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        tests.push({
          testedAt: new Date(String(entry['tested_at'])).toISOString(),
          backupName: String(entry['backup_name'] ?? ''),
          ok: entry['ok'] === true,
          tables: typeof entry['tables'] === 'number' ? entry['tables'] : null,
          rows: typeof entry['rows'] === 'number' ? entry['rows'] : null,
          detail: typeof entry['detail'] === 'string' ? entry['detail'] : null,
        });
      }
      return tests.sort((left, right) => right.testedAt.localeCompare(left.testedAt));
    },
  };
}

/** Log files (FLEET_LOG_PATHS: files or directories of *.log), pino JSON or plain lines. */
export function createFileFleetLogsConnector(paths: readonly string[]): FleetLogsConnector {
  return {
    source: 'files',
    async readLines(since) {
      const files: string[] = [];
      for (const entry of paths) {
        const stat = await fs.stat(entry);
        if (stat.isDirectory()) {
          for (const name of (await fs.readdir(entry)).sort()) if (name.endsWith('.log')) files.push(path.join(entry, name));
        } else files.push(entry);
      }
      const lines: FleetLogLine[] = [];
      for (const file of files) {
        const stat = await fs.stat(file);
        if (stat.mtime < since) continue;
        const text = await fs.readFile(file, 'utf8');
        text.split('\n').forEach((line, index) => {
          if (line.trim() === '') return;
          const time = loggedAt(line);
          if (time !== null && time < since) return;
          lines.push({ loggedAt: time?.toISOString() ?? null, origin: file, lineNumber: index + 1, line });
        });
      }
      return lines;
    },
  };
}

// pino's `time` (epoch ms) where the line is JSON.
function loggedAt(line: string): Date | null {
  if (!line.startsWith('{')) return null;
  try {
    const time = (JSON.parse(line) as { time?: unknown }).time;
    return typeof time === 'number' ? new Date(time) : typeof time === 'string' ? new Date(time) : null;
  } catch {
    return null;
  }
}

/** A TLS endpoint to check: host[:port]. */
export interface TlsEndpoint {
  host: string;
  port: number;
}

/** Parse CREDENTIAL_TLS_HOSTS entries ("shop.example.com", "db.example.com:5432"). */
export function tlsEndpoints(entries: readonly string[]): TlsEndpoint[] {
  return entries.map((entry) => {
    const [host = entry, port] = entry.split(':');
    return { host, port: port === undefined ? 443 : Number(port) };
  });
}

// The peer certificate's notAfter; an endpoint that does not answer is probe status 0.
function certificateExpiry(endpoint: TlsEndpoint, timeoutMs: number, caCertificates?: string): Promise<Date | null> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      servername: endpoint.host,
      // Expiry is what is checked here; an expired or self-signed certificate must still be read.
      rejectUnauthorized: false,
      ...(caCertificates === undefined ? {} : { ca: caCertificates }),
    });
    const done = (value: Date | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      done(certificate.valid_to === undefined ? null : new Date(certificate.valid_to));
    });
  });
}

/**
 * Live credential checks on this host: each TLS endpoint's certificate expiry (node:tls). Vendor
 * token probes (Meta debug_token, SP-API authorisation date) are not wired yet; `fleet doctor`
 * probes the configured vendors' tokens.
 */
export function createTlsCredentialsConnector(endpoints: readonly TlsEndpoint[], options: { timeoutMs: number }): CredentialsConnector {
  return {
    source: 'tls',
    async listCredentials() {
      const checkedAt = new Date().toISOString();
      const results: CredentialStatus[] = [];
      for (const endpoint of endpoints) {
        const expiry = await certificateExpiry(endpoint, options.timeoutMs);
        results.push({
          connector: 'tls',
          credential: `TLS certificate ${endpoint.host}${endpoint.port === 443 ? '' : `:${endpoint.port}`}`,
          kind: 'certificate',
          expiresAt: expiry?.toISOString() ?? null,
          // 0: the endpoint did not complete a TLS handshake (down, or not TLS).
          probeStatus: expiry === null ? 0 : null,
          checkedAt,
        });
      }
      return results;
    },
  };
}
