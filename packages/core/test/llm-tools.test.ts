import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScriptTool, workspaceTools } from '@jbot/core';

// The tools a job may hand the model that touch this machine: confined to the bot's workspace,
// and scripts only from an allow-list, with no shell.
describe('LLM tools on the host', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-workspace-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('read_file / write_file stay inside the workspace; a path that climbs out is refused', async () => {
    const [read, write] = workspaceTools(directory);
    expect(await write.run({ path: 'notes/monday.md', content: 'two deals quiet' })).toEqual({ written: path.join('notes', 'monday.md'), bytes: 15 });
    expect(await read.run({ path: 'notes/monday.md' })).toBe('two deals quiet');
    await expect(read.run({ path: '../../etc/passwd' })).rejects.toThrow(/outside the workspace/);
    await expect(write.run({ path: '/tmp/elsewhere.txt', content: 'x' })).rejects.toThrow(/outside the workspace/);
    expect(fs.existsSync('/tmp/elsewhere.txt')).toBe(false);
  });

  it('run_script runs only allow-listed scripts with their fixed arguments', async () => {
    const tool = runScriptTool({ 'node-version': { command: process.execPath, args: ['--version'] } });
    expect(tool.input.safeParse({ script: 'rm -rf /' }).success).toBe(false);
    const output = (await tool.run({ script: 'node-version' })) as { stdout: string };
    expect(output.stdout.trim()).toBe(process.version);
  });
});
