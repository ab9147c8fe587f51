import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrainConnectionError, ensureEmbeddedPostgres } from '@jbot/core';
import { freePort } from '@jbot/testkit';

// Two checkouts on one machine share the default EMBEDDED_PG_PORT. A second checkout found the
// first one's server on the port and used it silently — another fleet's data, migrated by this
// checkout's code, while `pnpm start` printed its own .data/pg. It must attach only to its own.
describe('the embedded brain attaches only to its own data directory', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-own-data-'));
  fs.chmodSync(parent, 0o755);
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("attaches to the server of its data directory, and refuses another checkout's, naming the way out", async () => {
    const port = await freePort();
    const first = await ensureEmbeddedPostgres({ dataDir: path.join(parent, 'first', 'pg'), port, persistent: false, startTimeoutMs: 120_000 });
    try {
      expect(first.startedHere).toBe(true);
      const again = await ensureEmbeddedPostgres({ dataDir: path.join(parent, 'first', 'pg'), port });
      expect(again.startedHere).toBe(false);
      const other = ensureEmbeddedPostgres({ dataDir: path.join(parent, 'second', 'pg'), port });
      await expect(other).rejects.toBeInstanceOf(BrainConnectionError);
      await expect(other).rejects.toThrow(/held by another embedded fleet brain .* set EMBEDDED_PG_PORT/);
      expect(fs.existsSync(path.join(parent, 'second', 'pg'))).toBe(false);
    } finally {
      await first.stop();
    }
  }, 180_000);
});
