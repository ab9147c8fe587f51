import { readFleetHeartbeats } from '@jbot/core';
import { defineCommand } from '../command.js';
import { formatAge, formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';
import { llmStatusLine } from './llm.js';
import { channelHealthTable } from './channel-health-table.js';

/** `fleet status`: every bot's heartbeat, and where the brain is. */
export const statusCommand = defineCommand({
  name: 'status',
  summary: 'the fleet at a glance: heartbeats per bot and host, each channel connection',
  options: {
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run({ values }, io) {
    const session = await openBrain(io.env);
    try {
      const rows = await readFleetHeartbeats(session.db);
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const staleAfter = (session.config.heartbeatIntervalMs * 3) / 1000;
      io.out(`brain: ${session.config.brain.kind}${session.config.brain.kind === 'embedded' ? ` (${session.config.brain.dataDir})` : ''}`);
      io.out(
        formatTable(
          ['bot', 'host', 'pid', 'status', 'last seen', 'rss', 'subscribes to'],
          rows.map((row) => [
            row.bot,
            row.host,
            row.pid,
            row.status === 'running' && row.seconds_since_seen > staleAfter ? 'STALE' : row.status,
            formatAge(row.seconds_since_seen),
            row.detail.rss_mb === undefined ? '' : `${row.detail.rss_mb} MB`,
            (row.detail.subscriptions ?? []).join(','),
          ]),
          { columns: io.columns, wide: values.wide, empty: 'No bot has ever run on this brain: start the fleet with `pnpm start`.' },
        ),
      );
      const running = rows.filter((row) => row.status === 'running' && row.seconds_since_seen <= staleAfter).length;
      io.out(`${running} of ${rows.length} bot processes running`);
      const channels = channelHealthTable(rows, staleAfter, { columns: io.columns, wide: values.wide });
      if (channels !== null) io.out(`channels:\n${channels}`);
      io.out(await llmStatusLine(session.db, io.env));
      return 0;
    } finally {
      await session.close();
    }
  },
});
