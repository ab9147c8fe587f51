import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import { probeFailure, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { donationFileName } from './sample-fulfilment-connector.js';
import type { WarehouseConnector } from './warehouse-connector.js';
import { donationOrderCsv, parseInventoryLots, parseOnHand, parseShipmentConfirmations } from './warehouse-csv.js';

/** The 3PL's SFTP drop box: where its WMS leaves files, where we leave ours, and how we log in. */
export interface SftpWarehouseOptions {
  host: string;
  port: number;
  username: string;
  password?: string;
  /** An OpenSSH private key (PEM text). */
  privateKey?: string;
  /** The server's host key fingerprint (SHA256:… as ssh-keygen -l prints it): any other key is refused. */
  hostKeySha256: string;
  /** The WMS's files: shipment_confirmations*.csv, inventory_by_lot*.csv, on_hand*.csv. */
  outboundDir: string;
  /** Where donation orders go for the 3PL to pick. */
  inboundDir: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

// The slice of ssh2-sftp-client used here.
interface SftpClient {
  connect(config: Record<string, unknown>): Promise<unknown>;
  list(remotePath: string): Promise<Array<{ name: string; type: string; modifyTime: number; size: number }>>;
  get(remotePath: string): Promise<Buffer | string>;
  exists(remotePath: string): Promise<false | string>;
  put(input: Buffer, remotePath: string): Promise<string>;
  rename(from: string, to: string): Promise<string>;
  delete(remotePath: string, notFoundOK?: boolean): Promise<string>;
  end(): Promise<boolean>;
}

/** The SHA256 fingerprint of a raw host key, as OpenSSH prints it (base64, no padding). */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const normalFingerprint = (value: string) => (value.startsWith('SHA256:') ? value : `SHA256:${value}`).replace(/=+$/, '');

function sftpError(options: SftpWarehouseOptions, operation: string, error: unknown, hostKeyRefused: boolean): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const hint = hostKeyRefused
    ? ' (the server presented a different host key: check WMS_SFTP_HOST_KEY_SHA256 with the 3PL before trusting it)'
    : /authentication/i.test(message)
      ? ' (check WMS_SFTP_USERNAME and WMS_SFTP_PASSWORD / WMS_SFTP_PRIVATE_KEY_PATH)'
      : '';
  return new ConnectorError('warehouse_sftp_failed', `3PL SFTP ${operation} at ${options.host}:${options.port} failed: ${message}${hint}`, {
    facts: { host: options.host, port: options.port, operation },
    cause: error,
  });
}

/**
 * The 3PL's files over SFTP with ssh2-sftp-client (loaded on first use): the newest on-hand and
 * lot snapshots and the shipment confirmations, parsed and validated row by row; donation orders
 * written under a temporary name and renamed into place, named by the approval's key, so the
 * 3PL never picks up half a file and a retry never drops a second one. Files we read are left
 * where they are: a malformed one fails the call with the file, row and column, losing nothing.
 */
export function createSftpWarehouseConnector(options: SftpWarehouseOptions): WarehouseConnector {
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const expected = normalFingerprint(options.hostKeySha256);

  const session = async <Result>(operation: string, run: (client: SftpClient) => Promise<Result>): Promise<Result> => {
    const { default: Client } = (await import('ssh2-sftp-client')) as unknown as { default: new (name?: string) => SftpClient };
    const client = new Client('jbot-warehouse');
    let hostKeyRefused = false;
    try {
      return await callVendor('3PL SFTP', operation, limits, async () => {
        await client.connect({
          host: options.host,
          port: options.port,
          username: options.username,
          ...(options.password === undefined ? {} : { password: options.password }),
          ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
          readyTimeout: limits.timeoutMs,
          hostVerifier: (key: Buffer) => {
            hostKeyRefused = hostKeyFingerprint(key) !== expected;
            return !hostKeyRefused;
          },
        });
        return await run(client);
      });
    } catch (error) {
      throw sftpError(options, operation, error, hostKeyRefused);
    } finally {
      await client.end().catch(() => false);
    }
  };

  const filesNamed = async (client: SftpClient, prefix: string) =>
    (await client.list(options.outboundDir))
      .filter((entry) => entry.type === '-' && entry.name.startsWith(prefix) && entry.name.toLowerCase().endsWith('.csv'))
      // WMS file names carry their timestamp; the modification time breaks ties.
      .sort((left, right) => left.name.localeCompare(right.name) || left.modifyTime - right.modifyTime);
  const read = async (client: SftpClient, name: string) => {
    const content = await client.get(path.join(options.outboundDir, name));
    return Buffer.isBuffer(content) ? content.toString('utf8') : content;
  };
  const newest = async (prefix: string, what: string) =>
    session(`read ${what}`, async (client) => {
      const file = (await filesNamed(client, prefix)).at(-1);
      if (file === undefined)
        throw new ConnectorError('warehouse_file_missing', `3PL SFTP has no ${prefix}*.csv in ${options.outboundDir}: the WMS has not dropped a ${what} yet`, {
          facts: { directory: options.outboundDir, prefix },
        });
      return { name: file.name, csv: await read(client, file.name) };
    });

  return {
    source: 'sftp',
    async listShipmentConfirmations(since) {
      const files = await session('read shipment confirmations', async (client) => {
        // A confirmation file is written after its orders: files from the day before `since` on.
        const recent = (await filesNamed(client, 'shipment_confirmations')).filter((entry) => entry.modifyTime >= since.getTime() - 86_400_000);
        const contents: Array<{ name: string; csv: string }> = [];
        for (const entry of recent) contents.push({ name: entry.name, csv: await read(client, entry.name) });
        return contents;
      });
      // Parse every file before answering: one bad file fails the call instead of hiding its orders.
      const confirmations = files.flatMap((file) => parseShipmentConfirmations(file.name, file.csv));
      const latest = new Map(confirmations.filter((row) => Date.parse(row.orderedAt) >= since.getTime()).map((row) => [row.orderRef, row]));
      return [...latest.values()];
    },
    async listLots() {
      const file = await newest('inventory_by_lot', 'lot snapshot');
      return parseInventoryLots(file.name, file.csv);
    },
    async listOnHand() {
      const file = await newest('on_hand', 'on-hand snapshot');
      return parseOnHand(file.name, file.csv);
    },
    async sendDonationOrder(input) {
      const fileName = donationFileName(input.idempotencyKey);
      const target = path.join(options.inboundDir, fileName);
      return session('send donation order', async (client) => {
        if ((await client.exists(target)) !== false) return { fileName, created: false };
        const partial = path.join(options.inboundDir, `.${fileName}.part`);
        await client.put(Buffer.from(donationOrderCsv(input), 'utf8'), partial);
        try {
          await client.rename(partial, target);
        } catch (error) {
          // Another host renamed the same order into place first: it is there once; our partial copy goes.
          if ((await client.exists(target)) !== false) {
            await client.delete(partial, true).catch(() => undefined);
            return { fileName, created: false };
          }
          throw error;
        }
        return { fileName, created: true };
      });
    },
  };
}

/** Whether the 3PL's SFTP answers with the pinned host key and our login, and what it holds (`fleet doctor`). */
export async function probeSftpWarehouse(options: SftpWarehouseOptions): Promise<ServiceProbe> {
  try {
    const onHand = await createSftpWarehouseConnector(options).listOnHand();
    return { ok: true, detail: `${options.host}: on-hand snapshot with ${onHand.length} rows` };
  } catch (error) {
    // SFTP has no HTTP status: the connector's message (host key, login, missing file) is the answer.
    return error instanceof ConnectorError ? { ok: false, unreachable: error.message } : probeFailure(error);
  }
}
