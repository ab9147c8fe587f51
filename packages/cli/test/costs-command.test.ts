import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, repositoryRoot, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');

describe('fleet costs / fleet llm', () => {
  let database: TestDatabase;
  let db: Db;
  const fleet = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, ANTHROPIC_API_KEY: '' },
      encoding: 'utf8',
    });

  // Usage as the LLM layer records it: a reservation settled with the real tokens and cost.
  async function usage(bot: string, job: string, model: string, costUsd: number, cacheReadTokens = 0) {
    const [reserved] = await db.rpc<{ reservation_id: string }>('reserve_llm_budget', {
      p_bot: bot,
      p_job: job,
      p_run_id: 'r',
      p_model: model,
      p_estimate_usd: costUsd,
      p_bot_cap_usd: 100,
      p_fleet_cap_usd: 100,
    });
    await db.rpc('record_llm_usage', {
      p_reservation_id: reserved?.reservation_id,
      p_model: model,
      p_input_tokens: 1200,
      p_output_tokens: 300,
      p_cache_write_tokens: 0,
      p_cache_read_tokens: cacheReadTokens,
      p_cost_usd: costUsd,
    });
  }

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    await usage('salesbot', 'on:operator_instruction', 'claude-sonnet-5-5', 0.0066);
    await usage('salesbot', 'on:operator_instruction', 'claude-sonnet-5-5', 0.0006, 2481);
    await usage('jbot', 'service', 'claude-haiku-5-5', 0.0002);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('groups the ledger by bot, job or model, with cached tokens and a total', () => {
    const byBot = fleet('costs');
    expect(byBot.status).toBe(0);
    expect(byBot.stdout).toMatch(/salesbot\s+2\s+2400\s+600\s+0\s+2481\s+\$0\.0072/);
    expect(byBot.stdout).toMatch(/jbot\s+1\s+1200\s+300\s+0\s+0\s+\$0\.0002/);
    expect(byBot.stdout).toMatch(/total: 3 calls, \$0\.0074/);
    expect(fleet('costs', '--by', 'job').stdout).toMatch(/salesbot\/on:operator_instruction\s+2/);
    expect(fleet('costs', '--by', 'model', '--json').stdout).toContain('"grp": "claude-haiku-5-5"');
    expect(fleet('costs', '--since', 'tomorrow-ish').stderr).toMatch(/--since must be a duration back from now .* \(got "tomorrow-ish"\)/);
  });

  it('`fleet llm off` flips the fleet kill switch; `fleet status` shows it and the offline drafter', () => {
    expect(fleet('llm', 'off').stdout).toMatch(/LLM: offline drafter .* SWITCHED OFF \(`fleet llm on` resumes\) · today \$0\.0074 of \$5\.00 fleet cap/);
    expect(fleet('status').stdout).toMatch(/SWITCHED OFF/);
    expect(fleet('llm', 'on').stdout).not.toMatch(/SWITCHED OFF/);
  });
});
