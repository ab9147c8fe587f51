import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, decideApproval, getApproval, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { approvalsCommand } from '../src/commands/approvals.js';

// `fleet approvals retry <id>`: the way out of `failed` from the terminal.
describe('fleet approvals retry', () => {
  let database: TestDatabase;
  let db: Db;

  const run = async (argv: string[]) => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', USER: 'ana' },
    };
    const code = await approvalsCommand.run(argv, io);
    return { code, text: lines.join('\n') };
  };

  async function failedApproval(): Promise<string> {
    const [requested] = await db.rpc<{ approval_id: string }>('request_approval', {
      p_bot: 'salesbot',
      p_action: 'send_followups',
      p_title: 'Send 4 follow-up emails',
      p_draft: {},
    });
    const id = requested?.approval_id ?? '';
    await decideApproval(db, { approvalId: id, decision: 'approved', decidedBy: 'cli:ana' });
    await db.rpc('claim_approval_execution', { p_bot: 'salesbot', p_worker: 'w1', p_approval_id: id });
    await db.rpc('finish_approval_execution', { p_approval_id: id, p_worker: 'w1', p_succeeded: false, p_error: 'HubSpot email create failed with HTTP 503' });
    return id;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('lists a failed approval with how to retry it, retries it by prefix once, and says why a second retry changes nothing', async () => {
    const id = await failedApproval();
    const listed = await run(['--status', 'failed']);
    expect(listed.text).toContain(id);
    expect(listed.text).toContain(`retry with Retry or \`fleet approvals retry ${id}\``);
    expect(listed.text).toContain('pnpm fleet approvals retry <id>');

    expect(await run(['retry', id.slice(0, 8)])).toEqual({
      code: 0,
      text: 'Retrying: Send 4 follow-up emails (retry requested by cli:ana; salesbot runs it again and repeats nothing already done).',
    });
    expect(await getApproval(db, id)).toMatchObject({ status: 'approved', attempts: 0 });
    expect(await run(['retry', id])).toEqual({ code: 1, text: 'Nothing changed: only a failed approval can be retried; this one is approved.' });
  });

  it('bad input gets a clear error and changes nothing', async () => {
    expect(await run(['retry'])).toMatchObject({
      code: 64,
      text: expect.stringMatching(
        /^error: fleet approvals: missing the approval id to retry: fleet approvals retry <approval-id>\nerror: usage: fleet approvals \[retry <approval-id>\]/,
      ),
    });
    expect(await run(['retry', 'not-an-id!'])).toMatchObject({
      code: 64,
      text: expect.stringMatching(/^error: fleet approvals: "not-an-id!" is not an approval id/),
    });
    const json = await run(['retry', '00000000-0000-4000-8000-000000000000', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.text)).toMatchObject({ retried: false, approval: null, reason: 'no approval 00000000-0000-4000-8000-000000000000' });
  });
});
