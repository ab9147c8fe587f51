import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, decideApproval, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

// The ledger under an approval: a side effect keyed by the approval's key is held by the
// approval's current claim for as long as that claim's lease, not by a lease of its own.
describe("side-effect ledger rows follow their approval's claim", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  async function executingApproval(): Promise<{ id: string; key: string }> {
    const [requested] = await db.rpc<{ approval_id: string; idempotency_key: string }>('request_approval', {
      p_bot: 'salesbot',
      p_action: 'send_followups',
      p_title: 'Send',
      p_draft: {},
    });
    const id = requested?.approval_id ?? '';
    await decideApproval(db, { approvalId: id, decision: 'approved', decidedBy: 'cli:ana' });
    const claimed = await db.rpc('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'host-a', p_lease_seconds: 600, p_approval_id: id });
    expect(claimed).toHaveLength(1);
    return { id, key: requested?.idempotency_key ?? '' };
  }
  const claim = async (key: string, leaseSeconds = 0) =>
    (
      await db.rpc<{ state: string }>('claim_side_effect', {
        p_idempotency_key: key,
        p_connector: 'hubspot',
        p_action: 'email.create',
        p_lease_seconds: leaseSeconds,
      })
    )[0]?.state;

  it("is in flight for as long as the approval's lease holds, whatever its own lease says", async () => {
    const { key } = await executingApproval();
    expect(await claim(`${key}:email:1`)).toBe('claimed');
    // Its own lease (0 s) is over; the approval's claim (600 s) still holds it.
    expect(await claim(`${key}:email:1`)).toBe('in_flight');
  });

  it('is taken over, as recover, by the next claimer of the approval', async () => {
    const { id, key } = await executingApproval();
    expect(await claim(`${key}:email:1`, 600)).toBe('claimed');
    // host-a's claim ends (its lease runs out: the process died); host-b claims the approval.
    await db.rpc('extend_approval_lease', { p_approval_id: id, p_worker: 'host-a', p_lease_seconds: 0 });
    expect(await db.rpc('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'host-b', p_lease_seconds: 600, p_approval_id: id })).toHaveLength(1);
    // The row's own 600 s lease is not what counts: the new claim looks at the vendor, then acts.
    expect(await claim(`${key}:email:1`, 600)).toBe('recover');
    expect(await claim(`${key}:email:1`, 600)).toBe('in_flight');
    await db.rpc('complete_side_effect', { p_idempotency_key: `${key}:email:1`, p_result: { emailId: 'e1' } });
    expect(await claim(`${key}:email:1`)).toBe('done');
  });

  it('a failed approval retried by a person takes over what the failed attempt left in flight', async () => {
    const { id, key } = await executingApproval();
    expect(await claim(`${key}:email:2`, 600)).toBe('claimed');
    await db.rpc('finish_approval_execution', { p_approval_id: id, p_worker: 'host-a', p_succeeded: false, p_error: 'crashed' });
    expect((await db.rpc<{ retried: boolean }>('retry_approval', { p_approval_id: id, p_retried_by: 'cli:ana' }))[0]?.retried).toBe(true);
    expect(await db.rpc('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'host-b', p_lease_seconds: 600, p_approval_id: id })).toHaveLength(1);
    expect(await claim(`${key}:email:2`, 600)).toBe('recover');
  });

  it('keys of no approval, or of an approval that is not running, keep their own lease', async () => {
    expect(await claim('run:salesbot:sync:1', 600)).toBe('claimed');
    expect(await claim('run:salesbot:sync:1', 600)).toBe('in_flight');
    // A look-alike of an approval key that is not this approval's key governs nothing.
    expect(await claim('approval:00000000-0000-4000-8000-000000000000:email:1', 600)).toBe('claimed');
    expect(await claim('approval:00000000-0000-4000-8000-000000000000:email:1', 600)).toBe('in_flight');
  });
});
