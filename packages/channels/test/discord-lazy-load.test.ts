import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const channelsIndex = path.resolve(import.meta.dirname, '../src/index.ts');

// The idle-bot memory budget depends on it: a process that never creates a Discord channel
// never loads discord.js. Checked in a fresh process (discord.js is CommonJS, so it shows up in
// require.cache once loaded).
describe('discord.js is loaded only by processes that use Discord', () => {
  it('importing @jbot/channels loads none of it; creating a Discord channel does', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-discord-'));
    const script = path.join(directory, 'check.mts');
    fs.writeFileSync(
      script,
      `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const count = () => Object.keys(require.cache).filter((key) => key.includes('discord.js')).length;
const channels = await import(${JSON.stringify(channelsIndex)});
const before = count();
const channel = await channels.createDiscordChannel({ config: { token: 't', channelId: '100000000000000001', approverUserIds: new Set(['1']), approverRoleIds: new Set() }, db: {}, bot: 'salesbot', log: { child: () => ({ warn() {}, info() {} }) } });
console.log(JSON.stringify({ before, after: count(), kind: channel.kind }));
await channel.close();
`,
    );
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(import.meta.dirname, '../../..') });
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { before: number; after: number; kind: string };
      expect(result.before).toBe(0);
      expect(result.after).toBeGreaterThan(0);
      expect(result.kind).toBe('discord');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
