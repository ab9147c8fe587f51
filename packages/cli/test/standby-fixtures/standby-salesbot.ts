// salesbot as production runs it (runBotProcess: config from env, brain, heartbeats, scheduler,
// signal consumer, approval worker), plus one job that ticks every second so a test can watch
// ticks across a host dying. Each execution appends "<scheduled_for> <host> <pid>" to
// $STANDBY_TICK_LOG, an independent record of what actually ran. With STANDBY_SLOW_MS set, each
// run then takes that long (a host that dies mid-run holds the tick's claim until its lease ends).
import fs from 'node:fs';
import { runBotProcess, type JobDefinition } from '@jbot/core';
import { salesbot } from '@jbot/salesbot';
import { fleetExtensions, fleetMembers, fleetSignalTypes } from '@jbot/fleet';

const log = process.env['STANDBY_TICK_LOG'];
if (log === undefined) throw new Error('STANDBY_TICK_LOG is required');

const tick: JobDefinition = {
  id: 'standby-tick',
  schedule: '* * * * * *',
  description: 'test: one tick a second',
  timeoutMs: 120_000,
  run({ scheduledFor, host }) {
    fs.appendFileSync(log, `${scheduledFor.toISOString()} ${host} ${process.pid}\n`);
    const slowMs = Number(process.env['STANDBY_SLOW_MS'] ?? 0);
    return slowMs > 0 ? new Promise((resolve) => setTimeout(resolve, slowMs)) : undefined;
  },
};

await runBotProcess(
  { ...salesbot, jobs: [...(salesbot.jobs ?? []), tick] },
  { signalTypes: fleetSignalTypes, fleet: fleetMembers, extensions: fleetExtensions },
);
