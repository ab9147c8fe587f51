import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

// A bad setting, as a new user makes it: the real commands and bot processes are spawned with
// it in their environment (and, separately, only in an env file), and each behaves as an
// operator expects — help still works, the doctor names the variable on one ✗ line, the bot
// exits 78 (EX_CONFIG, so systemd and the supervisor do not restart it in a loop), never a stack.
const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const botMain = path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repositoryRoot,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A bot that wrongly starts would run until killed: the 45 s cap (the three commands of a case
  // run at once, and a loaded 2-core machine starts each slowly) turns that into a failed assertion.
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    }),
  );
}

const cases: Array<{ name: string; env: Record<string, string>; variable: string; bot: string }> = [
  { name: 'a Telegram token without operator chats', env: { TELEGRAM_BOT_TOKEN: '123:abc' }, variable: 'TELEGRAM_OPERATOR_CHAT_IDS', bot: 'jbot' },
  { name: 'a time zone that is not IANA', env: { FLEET_TZ: 'Mars/Olympus' }, variable: 'FLEET_TZ', bot: 'jbot' },
  { name: 'quiet hours that do not parse', env: { TELEGRAM_QUIET_HOURS: 'late' }, variable: 'TELEGRAM_QUIET_HOURS', bot: 'jbot' },
  { name: 'a digest time that is not HH:MM', env: { JBOT_DIGEST_TIME: '25:99' }, variable: 'JBOT_DIGEST_TIME', bot: 'jbot' },
  { name: "a job's own threshold", env: { FREIGHT_DELAY_THRESHOLD_DAYS: 'three' }, variable: 'FREIGHT_DELAY_THRESHOLD_DAYS', bot: 'opsbot' },
];

describe('a bad setting never crashes a command, and stops the bot with 78', () => {
  let database: TestDatabase;
  let directory: string;
  beforeAll(async () => {
    database = await freshDatabase();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-bad-config-'));
  });
  afterAll(async () => {
    fs.rmSync(directory, { recursive: true, force: true });
    await database.drop();
  });

  for (const { name, env, variable, bot } of cases) {
    for (const where of ['environment', 'env file'] as const) {
      it(`${name} (${where}): help exits 0, doctor names ${variable} once, ${bot} exits 78`, async () => {
        let processEnv: NodeJS.ProcessEnv = { DATABASE_URL: database.url, ...env };
        if (where === 'env file') {
          const file = path.join(directory, `${variable}.env`);
          fs.writeFileSync(
            file,
            `${Object.entries(env)
              .map(([key, value]) => `${key}=${value}`)
              .join('\n')}\n`,
          );
          processEnv = { DATABASE_URL: database.url, FLEET_ENV_FILE: file };
        }
        const [help, doctor, started] = await Promise.all([run([cli, 'help'], processEnv), run([cli, 'doctor'], processEnv), run([botMain, bot], processEnv)]);
        expect(help.status, help.output).toBe(0);
        expect(help.output).not.toMatch(/ConfigError| {4}at /);

        const failed = doctor.output.split('\n').filter((line) => line.includes('✗'));
        expect(failed, doctor.output).toHaveLength(1);
        expect(failed[0]).toContain(variable);
        expect(doctor.output).not.toMatch(/ {4}at /);

        expect(started.status, started.output).toBe(78);
        expect(started.output).toContain(`${variable}:`);
        expect(started.output).not.toMatch(/ {4}at /);
      }, 60_000);
    }
  }
});
