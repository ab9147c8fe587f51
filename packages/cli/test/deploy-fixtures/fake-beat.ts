// A bot process as the fake systemctl starts it: one running heartbeat for <bot> on <host>, new pid.
import { createPostgresDb } from '@jbot/core';

const [host, bot] = process.argv.slice(2);
const url = process.env['DATABASE_URL'];
if (host === undefined || bot === undefined || url === undefined) throw new Error('usage: fake-beat.ts <host> <bot> with DATABASE_URL set');
const db = createPostgresDb({ url, poolMax: 1 });
await db.rpc('beat_heartbeat', {
  p_bot: bot,
  p_host: host,
  p_pid: process.pid,
  p_version: 'fake',
  p_started_at: new Date(),
  p_status: 'running',
  p_detail: {},
});
await db.close();
