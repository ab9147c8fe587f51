import { fleetRuntime } from '@jbot/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, startBot, type Db, type RunningBot } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, waitFor, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { mktgbot } from '@jbot/mktgbot';
import { opsbot } from '@jbot/opsbot';
import { salesbot } from '@jbot/salesbot';
import { shipbot } from '@jbot/shipbot';
import { approveCommand } from '../src/commands/approve.js';
import { demoCommand } from '../src/commands/demo.js';
import { replyCommand } from '../src/commands/reply.js';
import { seedCommand } from '../src/commands/seed.js';
import type { Command } from '../src/command.js';

const silent = pino({ level: 'silent' });

// `fleet demo` against running bots (in this process, on a real Postgres with the sample company):
// the request goes through the brain as a manual run, the bots do the rest, and the command
// reports it — including on a second invocation, when the watches' dedupe means no new signal.
describe('fleet demo freight|monday on a running fleet', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const running: RunningBot[] = [];

  const run = async (command: Command, argv: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', USER: 'ana', ...extraEnv },
    };
    const code = await command.run(argv, io);
    return { code, text: lines.join('\n') };
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 1 });
    await loadSampleCompany(db);
    for (const bot of [opsbot, shipbot, salesbot, mktgbot]) {
      running.push(
        await startBot(bot, {
          db,
          config: testBotConfig({ scheduler: { checkIntervalMs: 200 } }),
          log: silent,
          ...fleetRuntime(db),
          approvals: { pollMs: 100 },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('rejects an unknown flow with its usage', async () => {
    const { code, text } = await run(demoCommand, ['tuesday']);
    expect(code).toBe(64);
    expect(text).toBe(
      'error: fleet demo: unknown flow "tuesday": the flows are monday and freight\nerror: usage: fleet demo monday|freight\nerror: (`fleet demo --help` says more)',
    );
  });

  it('freight: runs opsbot freight-watch as a manual run and shows the forecast post and both approvals; a second demo says the alert was already raised and shows where things stand', async () => {
    const first = await run(demoCommand, ['freight']);
    expect(first.code).toBe(0);
    expect(first.text).toMatch(/requested opsbot\/freight-watch \(run [0-9a-f]{8}\)/);
    expect(first.text).toMatch(/succeeded on test-host/);
    expect(first.text).toMatch(/freight_delay [0-9a-f]{8}: SHKGH0525145 is 21 days late \(alert → jbot tells the operator\)\n/);
    expect(first.text).toMatch(/delivery: mktgbot handled · salesbot handled · shipbot handled/);
    expect(first.text).toMatch(/shipbot posted to #ship-bot:\n {4}Fulfilment forecast · SHKGH0525145 21 days late\n {4}\*\*Orders shipping late\*\* \(\d+\)/);
    expect(first.text).toMatch(/ {4}• WO-7722 \(wholesale, Harbor Lights Gifts\)/);
    expect(first.text).toMatch(/Waiting for a person:\n/);
    expect(first.text).toMatch(/salesbot\s+Send 1 delay notice to wholesale customers \(SHKGH0525145 21 days late\)\n\s+→ pnpm fleet approve [0-9a-f]{8}/);
    expect(first.text).toMatch(
      /mktgbot\s+Pause 4 ad campaigns promoting SKUs out of stock until \d{4}-\d\d-\d\d \(\$\d+ at risk\)\n\s+→ pnpm fleet approve [0-9a-f]{8}/,
    );
    expect(first.text).toMatch(/Watch it: `pnpm fleet signals --type freight_delay`/);
    const runs = await sql`select status, manual, requested_by from cron_runs where bot = 'opsbot' and job = 'freight-watch'`;
    expect(runs).toEqual([{ status: 'succeeded', manual: true, requested_by: expect.stringMatching(/^cli:/) }]);

    // The newcomer approves the notices with the printed short id.
    const salesShort = /salesbot\s+Send 1 delay notice[^\n]*\n\s+→ pnpm fleet approve ([0-9a-f]{8})/.exec(first.text)?.[1] ?? '';
    expect((await run(approveCommand, [salesShort])).code).toBe(0);
    await waitFor(async () => ((await sql`select 1 from approvals where status = 'executed'`).length === 1 ? true : undefined), {
      what: 'the notices sent',
      timeoutMs: 10_000,
    });

    const second = await run(demoCommand, ['freight']);
    expect(second.code).toBe(0);
    expect(second.text).toMatch(
      /SHKGH0525145 is 21 days late \(alert → jbot tells the operator\) — already raised today at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(seen 2×\)/,
    );
    expect(second.text).toMatch(/freight-watch alerts once per shipment per day, so here is the cascade that alert started:/);
    expect(second.text).toMatch(/shipbot posted to #ship-bot:\n {4}Fulfilment forecast · SHKGH0525145 21 days late/);
    expect(second.text).toMatch(/salesbot\s+Send 1 delay notice[^\n]*\n\s+→ done \(approved by cli:ana\): sent 1 delay notice/);
    expect(second.text).toMatch(/mktgbot\s+Pause 4 ad campaigns[^\n]*\n\s+→ pnpm fleet approve [0-9a-f]{8}/);

    // Two demos, two manual runs: one signal, one forecast post, two approvals, one email.
    expect(await sql`select 1 from cron_runs where bot = 'opsbot' and manual`).toHaveLength(2);
    expect(await sql`select repeat_count from bot_signals where signal_type = 'freight_delay'`).toEqual([{ repeat_count: 2 }]);
    expect(await sql`select 1 from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`).toHaveLength(1);
    expect(await sql`select 1 from approvals`).toHaveLength(2);
    expect(await sql`select 1 from sample_emails where to_email = 'leah.ellison@harborlightsgifts.com'`).toHaveLength(1);
  }, 60_000);

  it('monday: runs salesbot hubspot-sync as a manual run, lists the stale deals and the reply that starts the drafting; a second demo says it was already raised this week', async () => {
    const first = await run(demoCommand, ['monday']);
    expect(first.code).toBe(0);
    expect(first.text).toMatch(/requested salesbot\/hubspot-sync \(run [0-9a-f]{8}\)/);
    expect(first.text).toMatch(/stale_deals [0-9a-f]{8}:\n/);
    expect(first.text).toMatch(/• Whole Harvest Market — Holiday program \(Driftwood Candle Co.\) \(\d+ days quiet\)/);
    expect(first.text).toMatch(/• Cobblestone Kitchen Supply — Café shelf program \(Trailhead Coffee Roasters\) \(\d+ days quiet\)/);
    const signalId = /stale_deals ([0-9a-f]{8})/.exec(first.text)?.[1];
    expect(first.text).toContain(`pnpm fleet reply ${signalId} "follow up on both, draft emails"`);
    expect(first.text).toMatch(/Watch it: `pnpm fleet signals --type stale_deals`/);

    const second = await run(demoCommand, ['monday']);
    expect(second.code).toBe(0);
    expect(second.text).toMatch(new RegExp(`stale_deals ${signalId} — already raised this week at .* UTC \\(seen 2×\\):`));
    expect(await sql`select 1 from bot_signals where signal_type = 'stale_deals'`).toHaveLength(1);
  }, 60_000);

  it("monday replayed: once the follow-ups re-engaged the deals the sync finds none and the demo says so (not last week's deals); seed --reset runs it like the first time", async () => {
    const [stale] = await sql`select id::text from bot_signals where signal_type = 'stale_deals'`;
    expect((await run(replyCommand, [String(stale?.['id']).slice(0, 8), 'follow up on both, draft emails'])).code).toBe(0);
    const approval = await waitFor(async () => (await sql`select id::text from approvals where action = 'send_followups'`)[0]?.['id'] as string | undefined, {
      what: 'the follow-ups drafted',
      timeoutMs: 20_000,
    });
    expect((await run(approveCommand, [approval.slice(0, 8)])).code).toBe(0);
    await waitFor(async () => ((await sql`select status from approvals where id = ${approval}`)[0]?.['status'] === 'executed' ? true : undefined), {
      what: 'the follow-ups sent',
      timeoutMs: 20_000,
    });

    const quiet = await run(demoCommand, ['monday']);
    expect(quiet.code).toBe(0);
    expect(quiet.text).toContain('No deal has gone stale (>14 days without activity): nothing to escalate.');
    expect(quiet.text).not.toMatch(/stale_deals [0-9a-f]{8}/);

    const seeded = await run(seedCommand, ['--reset'], { FLEET_SAMPLE_DATA: 'true' });
    expect(seeded.text).toMatch(/forgot the fleet's work on the old copy: \d+ signals, \d+ approvals, \d+ messages — the demos run like the first time/);
    const replay = await run(demoCommand, ['monday']);
    expect(replay.code).toBe(0);
    const replayed = /stale_deals ([0-9a-f]{8}):\n/.exec(replay.text)?.[1];
    expect(replayed).toMatch(/^[0-9a-f]{8}$/);
    expect(replayed).not.toBe(String(stale?.['id']).slice(0, 8));
    expect(replay.text).not.toContain('already raised');
    expect(replay.text).toContain(`pnpm fleet reply ${replayed} "follow up on both, draft emails"`);
    expect(await sql`select repeat_count from bot_signals where signal_type = 'stale_deals'`).toEqual([{ repeat_count: 1 }]);
  }, 90_000);
});
