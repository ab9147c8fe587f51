// Between the two passes of `pnpm bench day`: make the first pass "yesterday" for everything that
// keeps the wall clock. The schedulers run on the simulated clock, but the brain stamps rows with
// its own clock and jobs compare with the wall clock (dedupe windows, "the last 24 hours",
// today's LLM spend), so without this both passes would share one wall-clock day and the second
// would be deduplicated away instead of meeting its unchanged input.
import type postgres from 'postgres';

// Live state, not history: moving it would make every bot look dead or free every lease.
const LIVE_TABLES = new Set(['bot_heartbeats', 'service_leases']);
// Already on the simulated clock.
const SIMULATED_COLUMNS = new Set(['cron_runs.scheduled_for']);

/** Move every brain timestamp and date (not the sample company's, not live state) `days` into the past. Returns the columns moved. */
export async function ageBrainHistory(sql: postgres.Sql, days: number): Promise<number> {
  const columns = await sql<Array<{ table_name: string; column_name: string; data_type: string }>>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = current_schema() and c.table_name not like 'sample\\_%'
       and (c.data_type like 'timestamp%' or c.data_type = 'date')
     order by 1, 2`;
  const moved = columns.filter((column) => !LIVE_TABLES.has(column.table_name) && !SIMULATED_COLUMNS.has(`${column.table_name}.${column.column_name}`));
  await sql.begin(async (transaction) => {
    for (const column of moved) {
      const shift =
        column.data_type === 'date' ? sql`${sql(column.column_name)} - ${days}::int` : sql`${sql(column.column_name)} - make_interval(days => ${days}::int)`;
      await transaction`update ${sql(column.table_name)} set ${sql(column.column_name)} = ${shift} where ${sql(column.column_name)} is not null`;
    }
  });
  return moved.length;
}
