import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, decideApproval, getApproval, type Db } from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, readSampleCompanyData, type Deal } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, startHoldingProxy, waitFor, type FakeHubSpot, type HoldingProxy, type TestDatabase } from '@jbot/testkit';

const fixture = path.join(import.meta.dirname, 'fixtures', 'salesbot-process.ts');
const APPROVAL_LEASE_MS = 1000;

// salesbot in its own process on the live HubSpot connector, reaching the fake HubSpot through
// a proxy that holds the third email create: the SIGKILL lands while that call is in flight.
function startSalesbot(databaseUrl: string, hubspotBase: string, accessToken: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, databaseUrl, String(APPROVAL_LEASE_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HUBSPOT_ACCESS_TOKEN: accessToken, HUBSPOT_API_BASE: hubspotBase, ANTHROPIC_API_KEY: '', LOG_LEVEL: 'silent' },
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`salesbot exited early with ${code}`)));
  });
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

describe('salesbot SIGKILLed while the third of four follow-up emails is in flight', () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;
  let proxy: HoldingProxy;
  let deals: Deal[];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    proxy = await startHoldingProxy(hubspot.url);
    const crm = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } }).crm;
    deals = (await crm.listDeals()).filter((deal) => !deal.isClosed);
  });
  afterAll(async () => {
    for (const child of children) await stopProcess(child, 'SIGKILL');
    await proxy?.close();
    await hubspot?.close();
    await db?.close();
    await database?.drop();
  });

  // landed: the held create reaches HubSpot after the kill (the response is lost with the process);
  // lost: it never does. Either way the restarted bot must end with each email made exactly once.
  it.each([['landed'], ['lost']] as const)(
    'after a restart the approval ends executed with each email created once (held create %s)',
    async (fate) => {
      const emailsBefore = hubspot.emailsCreated().length;
      const updatesBefore = hubspot.dealUpdates().length;
      const chosen = fate === 'landed' ? deals.slice(0, 4) : deals.slice(4, 8);
      const draft = {
        emails: chosen.map((deal, index) => ({
          deal_id: deal.id,
          deal: deal.name,
          to: `buyer${index + 1}@example.com`,
          subject: `Following up: ${deal.name}`,
          body: `Hello, checking in on ${deal.name}.`,
        })),
        note: 'crash test',
      };
      const [requested] = await db.rpc<{ approval_id: string }>('request_approval', {
        p_bot: 'salesbot',
        p_action: 'send_followups',
        p_title: 'Send 4 follow-up emails',
        p_draft: draft,
      });
      const approvalId = requested?.approval_id ?? '';
      let creates = 0;
      proxy.holdWhen(({ method, path: requestPath }) => method === 'POST' && requestPath === '/crm/v3/objects/emails' && ++creates === 3);

      const first = await startSalesbot(database.url, proxy.url, hubspot.accessToken);
      children.push(first);
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'test:ana', decidedVia: 'local' })).decided).toBe(true);
      const held = await waitFor(() => proxy.held[0], { what: 'the third email create to be in flight', timeoutMs: 30_000 });
      expect(hubspot.emailsCreated().length - emailsBefore).toBe(2);
      expect(hubspot.dealUpdates().length - updatesBefore).toBe(2);

      await stopProcess(first, 'SIGKILL');
      await waitFor(() => !held.callerConnected(), { what: 'the killed caller to disconnect' });
      proxy.holdWhen(null);
      if (fate === 'landed') expect(await held.release()).toBe(201);
      else held.drop();
      expect(hubspot.emailsCreated().length - emailsBefore).toBe(fate === 'landed' ? 3 : 2);

      const second = await startSalesbot(database.url, proxy.url, hubspot.accessToken);
      children.push(second);
      const finished = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'the approval to finish after the restart', timeoutMs: 60_000 },
      );
      await stopProcess(second, 'SIGTERM');

      expect({ status: finished.status, error: finished.error }).toEqual({ status: 'executed', error: null });
      const emails = hubspot.emailsCreated().slice(emailsBefore);
      expect(emails.map((email) => email.properties['jbot_idempotency_key']).sort()).toEqual(
        chosen.map((deal) => `approval:${approvalId}:email:${deal.id}`).sort(),
      );
      expect(emails.map((email) => email.associations['deals']?.[0]).sort()).toEqual(chosen.map((deal) => deal.id).sort());
      const updates = hubspot.dealUpdates().slice(updatesBefore);
      expect(updates.map((update) => update.objectId).sort()).toEqual(chosen.map((deal) => deal.id).sort());
      expect(finished.attempts).toBe(2);
    },
    120_000,
  );
});
