import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path/posix';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/** A real SFTP server in this process (ssh2's Server) over an in-memory file tree: a 3PL's drop box. */
export interface FakeSftp {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The host key's fingerprint as `ssh-keygen -l` prints it (SHA256:…): pin it in WMS_SFTP_HOST_KEY_SHA256. */
  hostKeySha256: string;
  /** Put a file (directories are created). */
  writeFile(filePath: string, content: string | Buffer): void;
  /** A file's content, or undefined. */
  readFile(filePath: string): string | undefined;
  /** File names in a directory, sorted. */
  listDir(directory: string): string[];
  /** SSH connections accepted so far (authenticated). */
  connections(): number;
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeSftpOptions {
  username?: string;
  password?: string;
  /** Initial files by absolute path. */
  files?: Record<string, string>;
}

interface Entry {
  data: Buffer;
  mtime: number;
}

function sameSecret(input: string, expected: string): boolean {
  const left = Buffer.from(input);
  const right = Buffer.from(expected);
  // Compare equal-length buffers only, so the length is not leaked by an early return's timing.
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Start an SFTP server on 127.0.0.1 with a fresh ed25519 host key and password login. It answers
 * the requests ssh2-sftp-client makes (OPEN/READ/WRITE/CLOSE/FSTAT, OPENDIR/READDIR, STAT/LSTAT,
 * REALPATH, RENAME, REMOVE, MKDIR, SETSTAT) over files held in memory.
 */
export async function startFakeSftp(options: FakeSftpOptions = {}): Promise<FakeSftp> {
  const username = options.username ?? '3pl-harborpine';
  const password = options.password ?? 'fake-sftp-password';
  const hostKey = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(hostKey.public);
  if (parsed instanceof Error) throw parsed;
  const blob = (Array.isArray(parsed) ? parsed[0] : parsed)?.getPublicSSH();
  if (blob === undefined) throw new Error('fake SFTP: could not read the host key');
  const hostKeySha256 = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

  const files = new Map<string, Entry>();
  const directories = new Set<string>(['/']);
  const addDirectory = (directory: string) => {
    for (let current = directory; current !== '/' && current !== '.'; current = path.dirname(current)) directories.add(current);
  };
  const writeFile = (filePath: string, content: string | Buffer) => {
    const normal = path.normalize(filePath);
    addDirectory(path.dirname(normal));
    files.set(normal, { data: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), mtime: Math.floor(Date.now() / 1000) });
  };
  for (const [filePath, content] of Object.entries(options.files ?? {})) writeFile(filePath, content);
  let accepted = 0;
  const clients = new Set<ssh2.Connection>();

  const fileAttrs = (entry: Entry) => ({ mode: 0o100644, uid: 1000, gid: 1000, size: entry.data.length, atime: entry.mtime, mtime: entry.mtime });
  const dirAttrs = () => ({ mode: 0o040755, uid: 1000, gid: 1000, size: 4096, atime: 0, mtime: 0 });

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client
      .on('authentication', (context) => {
        if (context.method === 'password' && sameSecret(context.username, username) && sameSecret(context.password, password)) return context.accept();
        return context.reject(['password']);
      })
      .on('ready', () => {
        accepted += 1;
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('sftp', (acceptSftp) => {
            const sftp = acceptSftp();
            // Handles: an open file (with its mode) or a directory listing (sent once, then EOF).
            const handles = new Map<number, { kind: 'file'; path: string; write: boolean } | { kind: 'dir'; path: string; sent: boolean }>();
            let nextHandle = 0;
            const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
            const newHandle = (value: Parameters<typeof handles.set>[1]) => {
              const buffer = Buffer.alloc(4);
              buffer.writeUInt32BE(nextHandle, 0);
              handles.set(nextHandle, value);
              nextHandle += 1;
              return buffer;
            };
            const stat = (reqid: number, filePath: string) => {
              const normal = path.normalize(filePath);
              const entry = files.get(normal);
              if (entry !== undefined) return sftp.attrs(reqid, fileAttrs(entry));
              if (directories.has(normal)) return sftp.attrs(reqid, dirAttrs());
              return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such file: ${filePath}`);
            };
            sftp
              .on('REALPATH', (reqid, filePath) => {
                const resolved = path.resolve('/', filePath);
                sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: dirAttrs() }]);
              })
              .on('STAT', stat)
              .on('LSTAT', stat)
              .on('OPEN', (reqid, filePath, flags) => {
                const normal = path.normalize(filePath);
                const write = (flags & OPEN_MODE.WRITE) !== 0;
                if (!directories.has(path.dirname(normal))) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such directory: ${path.dirname(normal)}`);
                if (!write && !files.has(normal)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such file: ${filePath}`);
                if (write && ((flags & OPEN_MODE.TRUNC) !== 0 || !files.has(normal))) writeFile(normal, Buffer.alloc(0));
                sftp.handle(reqid, newHandle({ kind: 'file', path: normal, write }));
              })
              .on('READ', (reqid, handle, offset, length) => {
                const open = handleOf(handle);
                const entry = open?.kind === 'file' ? files.get(open.path) : undefined;
                if (entry === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
                if (offset >= entry.data.length) return sftp.status(reqid, STATUS_CODE.EOF);
                sftp.data(reqid, entry.data.subarray(offset, offset + length));
              })
              .on('WRITE', (reqid, handle, offset, data) => {
                const open = handleOf(handle);
                const entry = open?.kind === 'file' && open.write ? files.get(open.path) : undefined;
                if (open?.kind !== 'file' || entry === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
                const grown = Buffer.alloc(Math.max(entry.data.length, offset + data.length));
                entry.data.copy(grown);
                data.copy(grown, offset);
                files.set(open.path, { data: grown, mtime: Math.floor(Date.now() / 1000) });
                sftp.status(reqid, STATUS_CODE.OK);
              })
              .on('FSTAT', (reqid, handle) => {
                const open = handleOf(handle);
                const entry = open?.kind === 'file' ? files.get(open.path) : undefined;
                if (entry === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
                sftp.attrs(reqid, fileAttrs(entry));
              })
              .on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK))
              .on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK))
              .on('CLOSE', (reqid, handle) => {
                if (handle.length !== 4 || !handles.delete(handle.readUInt32BE(0))) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
                sftp.status(reqid, STATUS_CODE.OK);
              })
              .on('OPENDIR', (reqid, directory) => {
                const normal = path.normalize(directory);
                if (!directories.has(normal)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such directory: ${directory}`);
                sftp.handle(reqid, newHandle({ kind: 'dir', path: normal, sent: false }));
              })
              .on('READDIR', (reqid, handle) => {
                const open = handleOf(handle);
                if (open?.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
                if (open.sent) return sftp.status(reqid, STATUS_CODE.EOF);
                open.sent = true;
                const names = [
                  ...[...directories]
                    .filter((directory) => directory !== open.path && path.dirname(directory) === open.path)
                    .map((directory) => ({ name: path.basename(directory), attrs: dirAttrs() })),
                  ...[...files]
                    .filter(([filePath]) => path.dirname(filePath) === open.path)
                    .map(([filePath, entry]) => ({ name: path.basename(filePath), attrs: fileAttrs(entry) })),
                ];
                if (names.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
                sftp.name(
                  reqid,
                  names.map((item) => ({
                    filename: item.name,
                    longname: `${item.attrs.mode & 0o040000 ? 'd' : '-'}rw-r--r-- 1 3pl 3pl ${item.attrs.size} Dec  1 06:00 ${item.name}`,
                    attrs: item.attrs,
                  })),
                );
              })
              .on('RENAME', (reqid, from, to) => {
                const source = path.normalize(from);
                const target = path.normalize(to);
                const entry = files.get(source);
                if (entry === undefined) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such file: ${from}`);
                // SFTP v3 RENAME refuses to overwrite, as OpenSSH's does.
                if (files.has(target)) return sftp.status(reqid, STATUS_CODE.FAILURE, `${to} exists`);
                files.delete(source);
                files.set(target, entry);
                sftp.status(reqid, STATUS_CODE.OK);
              })
              .on('REMOVE', (reqid, filePath) => {
                if (!files.delete(path.normalize(filePath))) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `No such file: ${filePath}`);
                sftp.status(reqid, STATUS_CODE.OK);
              })
              .on('MKDIR', (reqid, directory) => {
                addDirectory(path.normalize(directory));
                sftp.status(reqid, STATUS_CODE.OK);
              });
          });
        });
      })
      .on('error', () => {
        // A client that drops mid-handshake (e.g. a rejected host key) is not the server's failure.
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    hostKeySha256,
    writeFile,
    readFile: (filePath) => files.get(path.normalize(filePath))?.data.toString('utf8'),
    listDir: (directory) =>
      [...files.keys()]
        .filter((filePath) => path.dirname(filePath) === path.normalize(directory))
        .map((filePath) => path.basename(filePath))
        .sort(),
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}
