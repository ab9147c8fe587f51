import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, createSignalEmitter, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { answerOperator } from '../src/index.js';
import { fleetRegistry, silent } from './job-harness.js';

const instruction = (text: string, signalId: string): OperatorInstruction => ({
  text,
  operatorMessageId: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
  signalId,
  approvalId: null,
  instructionSignalId: signalId,
  channel: 'local',
  senderId: 'operator',
});

// The operator's reply to each warning-or-higher signal does something (design §8 point 9).
describe('operator replies to adsbot escalations', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const contextOf = (bot: typeof adsbot) => ({
    ...buildBotServices(bot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent),
    connectors: createConnectors({ db, env: {} }),
  });

  it('ad fatigue: explained with its numbers, and "brief" asks creative-briefs to run now', async () => {
    const adsSignals = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'adsbot' });
    const { id } = await adsSignals.emit('ad_fatigue', {
      platform: 'meta',
      ad_id: '23860000000101',
      ad_set_id: '23860000000001',
      frequency_7d: 4.2,
      ctr_drop_pct: 32,
      cpm_change_pct: 35,
      spend_7d: 1225,
      ad_name: 'Coastal Fog — fog rolling in (video)',
      brand: 'DW',
    });
    const context = contextOf(adsbot);
    expect(await answerOperator(instruction('why?', id), context)).toMatch(/frequency 4.2, link CTR down 32%/);
    expect(await answerOperator(instruction('brief new creative', id), context)).toMatch(/creative-briefs run/);
    expect((await db.rpc('list_open_ad_brief_triggers')).some((trigger) => String(trigger['ref']).startsWith('23860000000101:operator:'))).toBe(true);
  });
});
