import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  botWorkspaceDirectory,
  buildBotServices,
  createPostgresDb,
  defineBot,
  emitSignalTool,
  loadLlmConfig,
  runScriptTool,
  workspaceTools,
  type BotContext,
  type Db,
} from '@jbot/core';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });

// The ready-made tools a job hands the model, driven by the fake model through runTools: what
// each may touch, and what it refuses however the model asks.
describe('LLM tools: workspace, scripts and signals stay inside their fences', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let scratch: string;
  let workspace: string;
  let context: BotContext;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 1 });
    anthropic = await startFakeAnthropic();
    scratch = await mkdtemp(path.join(os.tmpdir(), 'llm-tools-'));
    workspace = botWorkspaceDirectory('contentbot', path.join(scratch, 'workspace'));
    await writeFile(path.join(scratch, '.env'), 'ANTHROPIC_API_KEY=sk-ant-secret\n');
    await mkdir(workspace, { recursive: true });
    await symlink(scratch, path.join(workspace, 'escape'));
    await symlink(path.join(scratch, 'created-outside.txt'), path.join(workspace, 'dangling.txt'));
    const bot = defineBot({ name: 'contentbot', purpose: 'test' });
    context = buildBotServices(bot, {
      db,
      log: silent,
      host: 'test',
      llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
    }).context(new AbortController().signal, silent, { job: 'content-calendar', runId: 'run-1' });
  });
  afterAll(async () => {
    await anthropic.close();
    await sql.end();
    await db.close();
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it("each bot's workspace is its own directory under .data/workspace; a bot name cannot climb out", () => {
    expect(botWorkspaceDirectory('salesbot')).toMatch(/\.data\/workspace\/salesbot$/);
    expect(() => botWorkspaceDirectory('../jbot')).toThrow(/not a bot name/);
  });

  it('the model writes and reads files in its workspace; .., absolute paths and links out of it are refused', async () => {
    anthropic.enqueue(
      {
        toolUses: [
          { name: 'write_file', input: { path: 'drafts/week-48.md', content: '# Week 48\nHoliday gift guide' } },
          { name: 'read_file', input: { path: 'drafts/week-48.md' } },
          { name: 'read_file', input: { path: '../../.env' } },
          { name: 'read_file', input: { path: path.join(scratch, '.env') } },
          { name: 'read_file', input: { path: 'escape/.env' } },
          { name: 'write_file', input: { path: 'escape/planted.txt', content: 'x' } },
          { name: 'write_file', input: { path: 'dangling.txt', content: 'x' } },
        ],
      },
      { text: 'Drafted week 48.' },
    );
    const result = await context.llm.runTools({ system: 'You plan content.', prompt: 'Draft week 48.', tools: workspaceTools(workspace) });
    expect(result.value).toBe('Drafted week 48.');
    expect(result.steps.map((step) => step.error ?? 'ok')).toEqual([
      'ok',
      'ok',
      '"../../.env" is outside the workspace',
      `"${path.join(scratch, '.env')}" is outside the workspace`,
      '"escape/.env" is outside the workspace',
      '"escape/planted.txt" is outside the workspace',
      '"dangling.txt" is a dangling link',
    ]);
    expect(result.steps[1]?.output).toBe('# Week 48\nHoliday gift guide');
    expect(await readFile(path.join(workspace, 'drafts', 'week-48.md'), 'utf8')).toBe('# Week 48\nHoliday gift guide');
    await expect(readFile(path.join(scratch, 'planted.txt'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(path.join(scratch, 'created-outside.txt'))).rejects.toThrow(/ENOENT/);
    // What went back to the model: the file fenced as data, the secret nowhere.
    const results = anthropic.requests.at(-1)?.messages.at(-1)?.content as Array<{ content: string; is_error?: boolean }>;
    expect(results[1]?.content).toBe('<data label="read_file result">\n# Week 48\nHoliday gift guide\n</data>');
    expect(results.slice(2).every((block) => block.is_error === true)).toBe(true);
    expect(JSON.stringify(anthropic.requests)).not.toContain('sk-ant-secret');
  });

  it('run_script runs only allow-listed scripts with their fixed arguments', async () => {
    const scripts = runScriptTool({ 'node-version': { command: process.execPath, args: ['--version'] } });
    anthropic.enqueue(
      {
        toolUses: [
          { name: 'run_script', input: { script: 'node-version' } },
          { name: 'run_script', input: { script: 'rm -rf /' } },
          { name: 'run_script', input: { script: 'node-version', args: ['-e', 'process.exit(3)'] } },
        ],
      },
      { text: 'Node is installed.' },
    );
    const result = await context.llm.runTools({ system: 'You check the host.', prompt: 'Which Node version?', tools: [scripts] });
    expect(result.steps[0]?.output).toMatchObject({ stdout: `${process.version}\n` });
    expect(result.steps[1]?.error).toMatch(/^script: Invalid input: expected "node-version"/);
    // Extra fields are dropped by the schema: the arguments stay the allow-listed ones.
    expect(result.steps[2]).toMatchObject({ input: { script: 'node-version' }, output: { stdout: `${process.version}\n` } });
    expect(anthropic.requests.at(-2)?.tools?.[0]?.input_schema).toMatchObject({ properties: { script: { enum: ['node-version'] } } });
  });

  it('emit_signal raises only the allowed types, with the payload validated like any emit', async () => {
    anthropic.enqueue(
      {
        toolUses: [
          { name: 'emit_signal', input: { signal_type: 'bot_note', payload: { text: 'Week 48 calendar drafted' } } },
          {
            name: 'emit_signal',
            input: { signal_type: 'budget_exceeded', payload: { bot: 'contentbot', scope: 'bot', cap_usd: 0, spent_usd: 0, day: '2026-11-25' } },
          },
          { name: 'emit_signal', input: { signal_type: 'bot_note', payload: { text: '' } } },
        ],
      },
      { text: 'Noted.' },
    );
    const result = await context.llm.runTools({
      system: 'You plan content.',
      prompt: 'Tell the fleet.',
      tools: [emitSignalTool(context.signals, ['bot_note'])],
    });
    expect(result.steps.map((step) => step.error === undefined)).toEqual([true, false, false]);
    expect(result.steps[1]?.error).toMatch(/^signal_type: Invalid input: expected "bot_note"/);
    const signals = await sql`select signal_type, source_bot, payload from bot_signals`;
    expect(signals).toEqual([{ signal_type: 'bot_note', source_bot: 'contentbot', payload: { text: 'Week 48 calendar drafted' } }]);
  });
});

// The tools a job may hand the model that touch this machine: confined to the bot's workspace,
// and scripts only from an allow-list, with no shell.
describe('LLM tools on the host', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'jbot-workspace-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('read_file / write_file stay inside the workspace; a path that climbs out is refused', async () => {
    const [read, write] = workspaceTools(directory);
    expect(await write.run({ path: 'notes/monday.md', content: 'two deals quiet' })).toEqual({ written: path.join('notes', 'monday.md'), bytes: 15 });
    expect(await read.run({ path: 'notes/monday.md' })).toBe('two deals quiet');
    await expect(read.run({ path: '../../etc/passwd' })).rejects.toThrow(/outside the workspace/);
    await expect(write.run({ path: '/tmp/elsewhere.txt', content: 'x' })).rejects.toThrow(/outside the workspace/);
    expect(existsSync('/tmp/elsewhere.txt')).toBe(false);
  });

  it('run_script runs only allow-listed scripts with their fixed arguments', async () => {
    const tool = runScriptTool({ 'node-version': { command: process.execPath, args: ['--version'] } });
    expect(tool.input.safeParse({ script: 'rm -rf /' }).success).toBe(false);
    const output = (await tool.run({ script: 'node-version' })) as { stdout: string };
    expect(output.stdout.trim()).toBe(process.version);
  });
});
