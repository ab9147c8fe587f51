import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, createSupabaseDb, type Db } from '@jbot/core';
import { freshDatabase, signTestJwt, startRpcTestServer, type RpcTestServer, type TestDatabase } from '@jbot/testkit';

// A session of one bot's role may do what that bot does and nothing else; the owner sets up.
type Session = (role: string) => Db;

const transports: Array<{ name: string; sessions: (database: TestDatabase) => Promise<{ as: Session; close: () => Promise<void> }> }> = [
  {
    name: 'postgres',
    sessions: async (database) => {
      const opened: Db[] = [];
      return {
        // A real login as the role, with the password the local start or `fleet roles` sets.
        as: (role) => {
          const url = new URL(database.url);
          url.username = role;
          url.password = `test-password-${role}`;
          const db = createPostgresDb({ url: url.toString(), poolMax: 1 });
          opened.push(db);
          return db;
        },
        close: async () => {
          await Promise.all(opened.map((db) => db.close()));
        },
      };
    },
  },
  {
    name: 'supabase',
    sessions: async (database) => {
      const server: RpcTestServer = await startRpcTestServer(database.url);
      const opened: Db[] = [];
      return {
        // PostgREST with a per-bot JWT: the anon key as apikey, the bot's token as bearer.
        as: (role) => {
          const bot = role.startsWith('fleet_') && !['fleet_operator', 'fleet_channels'].includes(role) ? role.slice('fleet_'.length) : undefined;
          const accessToken = signTestJwt(server.jwtSecret, { role, ...(bot === undefined ? {} : { bot }) });
          const db = createSupabaseDb({ url: server.url, serviceRoleKey: server.anonKey, accessToken });
          opened.push(db);
          return db;
        },
        close: async () => {
          await Promise.all(opened.map((db) => db.close()));
          await server.close();
        },
      };
    },
  },
];

const ROLES = ['fleet_salesbot', 'fleet_opsbot', 'fleet_jbot', 'fleet_sysbot', 'fleet_operator', 'fleet_channels'];

for (const transport of transports) {
  describe(`per-bot roles on the ${transport.name} transport`, () => {
    let database: TestDatabase;
    let owner: Db;
    let as: Session;
    let close: () => Promise<void>;

    beforeAll(async () => {
      database = await freshDatabase();
      owner = createPostgresDb({ url: database.url, poolMax: 2 });
      for (const role of ROLES) await owner.rpc('fleet_set_role_password', { p_role: role, p_password: `test-password-${role}` });
      await owner.rpc('register_operator_chats', { p_chat_ids: ['4242'] });
      ({ as, close } = await transport.sessions(database));
    });
    afterAll(async () => {
      await close();
      await owner.close();
      await database.drop();
    });

    const emit = (db: Db, sourceBot: string) =>
      db.rpc<{ signal_id: string }>('emit_signal', { p_source_bot: sourceBot, p_signal_type: 'test_ping', p_severity: 'info', p_payload: { n: 1 } });

    it('a bot emits as itself, and emitting as another bot is refused', async () => {
      const salesbot = as('fleet_salesbot');
      const [row] = await emit(salesbot, 'salesbot');
      expect(row?.signal_id).toMatch(/^[0-9a-f-]{36}$/);
      await expect(emit(salesbot, 'opsbot')).rejects.toThrow(/salesbot may not write bot_signals rows as opsbot/);
      // Through a function that passes the bot on (the shared-key emit), the same refusal.
      await expect(
        salesbot.rpc('emit_signal_unless_raised', { p_source_bot: 'opsbot', p_signal_type: 'test_ping', p_severity: 'info', p_payload: {}, p_dedupe_key: 'k' }),
      ).rejects.toThrow(/may not write bot_signals rows as opsbot/);
      const [opsbot] = await emit(as('fleet_opsbot'), 'opsbot');
      expect(opsbot?.signal_id).toBeDefined();
    });

    it('a bot requests and executes its own approval but cannot decide it; the operator and the channel handlers can, recorded with their role', async () => {
      const salesbot = as('fleet_salesbot');
      await expect(
        salesbot.rpc('request_approval', { p_bot: 'opsbot', p_action: 'send_email', p_title: 'as opsbot', p_draft: { to: 'a@example.com' } }),
      ).rejects.toThrow(/may not write approvals rows as opsbot/);
      const [first] = await salesbot.rpc<{ approval_id: string; status: string }>('request_approval', {
        p_bot: 'salesbot',
        p_action: 'send_email',
        p_title: 'follow up',
        p_draft: { to: 'buyer@example.com', body: 'hello' },
      });
      expect(first?.status).toBe('pending');
      const approvalId = String(first?.approval_id);
      await expect(salesbot.rpc('decide_approval', { p_approval_id: approvalId, p_decision: 'approved', p_decided_by: 'salesbot' })).rejects.toThrow(
        /permission denied for function decide_approval/,
      );
      const [decided] = await as('fleet_channels').rpc<{ decided: boolean; decided_by: string }>('decide_approval', {
        p_approval_id: approvalId,
        p_decision: 'approved',
        p_decided_by: 'discord:1 (ana)',
        p_decided_via: 'discord',
      });
      expect(decided).toMatchObject({ decided: true, decided_by: 'discord:1 (ana)' });
      const [role] = await rawQuery(database, 'select decided_role from approvals where id = $1', [approvalId]);
      expect(role?.['decided_role']).toBe('fleet_channels');
      // The owning bot claims and finishes it (opsbot cannot claim salesbot's approval).
      const [claimed] = await salesbot.rpc<{ approval_id: string }>('claim_approval_execution', {
        p_bot: 'salesbot',
        p_worker: 'w1',
        p_approval_id: approvalId,
      });
      expect(claimed?.approval_id).toBe(approvalId);
      const [finished] = await salesbot.rpc<{ status: string }>('finish_approval_execution', { p_approval_id: approvalId, p_worker: 'w1', p_succeeded: true });
      expect(finished?.status).toBe('executed');

      const [second] = await salesbot.rpc<{ approval_id: string }>('request_approval', {
        p_bot: 'salesbot',
        p_action: 'send_email',
        p_title: 'two',
        p_draft: {},
      });
      const [byOperator] = await as('fleet_operator').rpc<{ decided: boolean }>('decide_approval', {
        p_approval_id: second?.approval_id,
        p_decision: 'rejected',
        p_decided_by: 'cli:ana',
      });
      expect(byOperator?.decided).toBe(true);
      const [operatorRole] = await rawQuery(database, 'select decided_role from approvals where id = $1', [String(second?.approval_id)]);
      expect(operatorRole?.['decided_role']).toBe('fleet_operator');
    });

    it('the kill switch: a bot may switch it on, never off; the operator may', async () => {
      const sysbot = as('fleet_sysbot');
      const [on] = await sysbot.rpc<{ key: string }>('set_fleet_setting', { p_key: 'llm_kill_switch', p_value: { enabled: true }, p_updated_by: 'sysbot' });
      expect(on?.key).toBe('llm_kill_switch');
      await expect(sysbot.rpc('set_fleet_setting', { p_key: 'llm_kill_switch', p_value: { enabled: false } })).rejects.toThrow(
        /sysbot may not change fleet setting llm_kill_switch/,
      );
      await expect(as('fleet_salesbot').rpc('set_fleet_setting', { p_key: 'other', p_value: { x: 1 } })).rejects.toThrow(/may not change fleet setting other/);
      const [off] = await as('fleet_operator').rpc<{ value: { enabled: boolean } }>('set_fleet_setting', {
        p_key: 'llm_kill_switch',
        p_value: { enabled: false },
        p_updated_by: 'cli',
      });
      expect(off?.value).toEqual({ enabled: false });
    });

    it('Telegram lines go only to registered operator chats', async () => {
      const jbot = as('fleet_jbot');
      const [queued] = await jbot.rpc<{ id: number }>('enqueue_telegram_message', { p_chat_id: '4242', p_bot: 'jbot', p_text: 'hello operator' });
      expect(queued).toBeDefined();
      // An operator_instruction payload naming another chat: the acknowledgement is refused.
      await expect(as('fleet_salesbot').rpc('enqueue_telegram_message', { p_chat_id: '666', p_bot: 'salesbot', p_text: 'ack' })).rejects.toThrow(
        /may not message Telegram chat 666: it is not an operator chat/,
      );
      await expect(jbot.rpc('register_operator_chats', { p_chat_ids: ['666'] })).rejects.toThrow(/permission denied/);
      const [registered] = await as('fleet_channels').rpc<{ register_operator_chats: number }>('register_operator_chats', { p_chat_ids: ['777'] });
      expect(Object.values(registered ?? {})).toEqual([1]);
    });

    it('owner-only functions are closed to bots and to the operator roles', async () => {
      await expect(as('fleet_salesbot').rpc('fleet_set_role_password', { p_role: 'fleet_opsbot', p_password: 'x' })).rejects.toThrow(/permission denied/);
      await expect(as('fleet_channels').rpc('fleet_set_role_password', { p_role: 'fleet_opsbot', p_password: 'x' })).rejects.toThrow(/permission denied/);
      await expect(as('fleet_salesbot').rpc('reset_fleet_activity')).rejects.toThrow(/permission denied/);
    });

    if (transport.name === 'postgres') {
      it('a bot session writes no table directly, and SET ROLE to its group speaks for nobody', async () => {
        const url = new URL(database.url);
        url.username = 'fleet_salesbot';
        url.password = 'test-password-fleet_salesbot';
        const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
        try {
          await expect(sql`insert into bot_signals (source_bot, signal_type, severity, payload) values ('salesbot', 'x', 'info', '{}')`).rejects.toThrow(
            /permission denied for table bot_signals/,
          );
          await expect(sql`update approvals set draft = '{"to": "attacker@example.com"}'`).rejects.toThrow(/permission denied for table approvals/);
          await expect(sql`select * from approvals`).rejects.toThrow(/permission denied/);
          await sql`set role fleet_bots`;
          await expect(sql`select * from emit_signal(p_source_bot => 'opsbot', p_signal_type => 'x', p_severity => 'info', p_payload => '{}')`).rejects.toThrow(
            /speaks for no bot/,
          );
        } finally {
          await sql.end();
        }
      });
    }
  });
}

describe('the schema stays locked down whatever migrations add', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('no fleet role can write any table, every table has RLS on, every function a bot may call is SECURITY DEFINER with a fixed search_path', async () => {
    const writable = await rawQuery(
      database,
      `select r.rolname, c.relname from pg_class c cross join pg_roles r
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
          and (r.rolname like 'fleet\\_%' or r.rolname in ('anon', 'authenticated'))
          and has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, SELECT')`,
    );
    expect(writable).toEqual([]);
    const withoutRls = await rawQuery(
      database,
      `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relrowsecurity`,
    );
    expect(withoutRls).toEqual([]);
    const invoker = await rawQuery(
      database,
      `select p.oid::regprocedure::text as function from pg_proc p
        where p.pronamespace = 'public'::regnamespace and p.prokind = 'f' and p.provolatile <> 'i' and p.prorettype <> 'trigger'::regtype
          and has_function_privilege('fleet_salesbot', p.oid, 'EXECUTE')
          and (not p.prosecdef or not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%'))`,
    );
    expect(invoker).toEqual([]);
    const publicExecute = await rawQuery(
      database,
      `select p.proname from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
          and exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.grantee = 0 and a.privilege_type = 'EXECUTE')`,
    );
    expect(publicExecute).toEqual([]);
  });

  it('a table and a function a later migration adds are locked down by the next migrate', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { migrate, migrationsDirectory } = await import('@jbot/core');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-roles-migrations-'));
    for (const file of fs.readdirSync(migrationsDirectory)) fs.copyFileSync(path.join(migrationsDirectory, file), path.join(directory, file));
    fs.writeFileSync(
      path.join(directory, '20261203179999_later_helper.sql'),
      `create table sample_later (id int primary key, bot text);
       create function sample_later_add(p_id int) returns int language sql as $$ insert into sample_later (id) values (p_id) returning id $$;`,
    );
    try {
      const result = await migrate(database.url, { directory });
      expect(result.applied).toEqual(['20261203179999_later_helper']);
      const [table] = await rawQuery(
        database,
        `select relrowsecurity, has_table_privilege('fleet_salesbot', 'sample_later', 'INSERT') as insert from pg_class where relname = 'sample_later'`,
      );
      expect(table).toEqual({ relrowsecurity: true, insert: false });
      const url = new URL(database.url);
      url.username = 'fleet_salesbot';
      url.password = 'test-password-fleet_salesbot';
      const owner = createPostgresDb({ url: database.url, poolMax: 1 });
      await owner.rpc('fleet_set_role_password', { p_role: 'fleet_salesbot', p_password: 'test-password-fleet_salesbot' });
      await owner.close();
      const salesbot = createPostgresDb({ url: url.toString(), poolMax: 1 });
      try {
        // The function runs as its definer, so the bot's call writes through it and only through it.
        expect(await salesbot.rpc('sample_later_add', { p_id: 1 })).toEqual([{ sample_later_add: 1 }]);
      } finally {
        await salesbot.close();
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

async function rawQuery(database: TestDatabase, text: string, values: string[] = []): Promise<Array<Record<string, unknown>>> {
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe(text, values))] as Array<Record<string, unknown>>;
  } finally {
    await sql.end();
  }
}
