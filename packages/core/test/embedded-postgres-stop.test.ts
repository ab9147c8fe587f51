import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureEmbeddedPostgres } from '@jbot/core';
import { freePort } from '@jbot/testkit';

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

// `pnpm start` gave the prompt back only when every timer had fired: stop() must leave none.
describe('stopping the embedded Postgres', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-stop-'));
  fs.chmodSync(parent, 0o755);
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('leaves no timer behind that would hold the process open', async () => {
    const server = await ensureEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: await freePort(), persistent: false, startTimeoutMs: 120_000 });
    expect(server.startedHere).toBe(true);
    const before = timers();
    await server.stop();
    expect(timers()).toBeLessThanOrEqual(before);
  }, 180_000);
});
