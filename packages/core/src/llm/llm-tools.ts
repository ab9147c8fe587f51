import { execFile } from 'node:child_process';
import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Approvals } from '../approvals/approvals-service.js';
import { repositoryRoot } from '../config/repository-root.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import type { LlmTool } from './llm.js';

// The tools a job may hand the model. None of them acts on the outside world: reading is free,
// writing stays inside the fleet (a signal, a file in the bot's workspace), and anything that
// would send, post, update or pause goes through requestApproval — a person decides.

/** A read-only view of a connector (deals, shipments, orders …) the model may consult. */
export function readConnectorTool<Input>(name: string, description: string, input: z.ZodType<Input>, read: (input: Input) => Promise<unknown>): LlmTool<Input> {
  return { name, description: `${description} (read-only)`, input, run: read };
}

/** Let the model raise one of the allowed signal types; the payload is validated like any emit. */
export function emitSignalTool(signals: SignalEmitter, allowedTypes: readonly string[]): LlmTool<{ signal_type: string; payload: Record<string, unknown> }> {
  return {
    name: 'emit_signal',
    description: `Raise a signal for the rest of the fleet. Allowed types: ${allowedTypes.join(', ')}.`,
    input: z.object({ signal_type: z.enum(allowedTypes as [string, ...string[]]), payload: z.record(z.string(), z.unknown()) }),
    async run(input) {
      const emitted = await signals.emit(input.signal_type, input.payload);
      return { signal_id: emitted.id, deduplicated: emitted.deduplicated };
    },
  };
}

/**
 * The only road to a side effect: the model drafts, this tool files an approval request for one
 * of the bot's actions, and a person decides. Nothing runs until they approve.
 */
export function requestApprovalTool(
  approvals: Approvals,
  actions: readonly string[],
): LlmTool<{ action: string; title: string; draft: Record<string, unknown> }> {
  return {
    name: 'request_approval',
    description: `Ask a person to approve an action on the outside world. Nothing happens until they approve. Actions: ${actions.join(', ')}.`,
    input: z.object({ action: z.enum(actions as [string, ...string[]]), title: z.string().min(3).max(200), draft: z.record(z.string(), z.unknown()) }),
    async run(input) {
      const { approval } = await approvals.request({ action: input.action, title: input.title, draft: input.draft });
      return { approval_id: approval.id, status: approval.status, note: 'pending: a person must approve before anything is done' };
    },
  };
}

/** A bot's own workspace directory, `.data/workspace/<bot>` under the repository root (or under `base`). */
export function botWorkspaceDirectory(bot: string, base = path.join(repositoryRoot, '.data', 'workspace')): string {
  if (!/^[a-z][a-z0-9-]*$/.test(bot)) throw new Error(`"${bot}" is not a bot name`);
  return path.join(base, bot);
}

/**
 * Read and write text files inside the bot's own workspace directory. A path that leaves it —
 * `..`, an absolute path, or a symbolic link inside the workspace pointing out of it — is
 * refused, so the model can neither read the fleet's .env nor write next to the code.
 */
export function workspaceTools(directory: string): [LlmTool<{ path: string }>, LlmTool<{ path: string; content: string }>] {
  const root = path.resolve(directory);
  const within = (base: string, target: string) => target === base || target.startsWith(`${base}${path.sep}`);
  const inside = async (relative: string): Promise<string> => {
    const resolved = path.resolve(root, relative);
    if (!within(root, resolved)) throw new Error(`"${relative}" is outside the workspace`);
    await mkdir(root, { recursive: true });
    // Follow links: the deepest existing ancestor must still be inside the real workspace.
    const realRoot = await realpath(root);
    // A dangling link would let a write create its target wherever it points: refused.
    const link = await lstat(resolved).catch(() => undefined);
    if (link?.isSymbolicLink() === true && (await realpath(resolved).catch(() => undefined)) === undefined) throw new Error(`"${relative}" is a dangling link`);
    let existing = resolved;
    for (;;) {
      try {
        existing = await realpath(existing);
        break;
      } catch {
        const parent = path.dirname(existing);
        if (parent === existing) break;
        existing = parent;
      }
    }
    if (!within(realRoot, existing)) throw new Error(`"${relative}" is outside the workspace`);
    return resolved;
  };
  return [
    {
      name: 'read_file',
      description: 'Read a text file from your workspace.',
      input: z.object({ path: z.string().min(1) }),
      run: async (input) => readFile(await inside(input.path), 'utf8'),
    },
    {
      name: 'write_file',
      description: 'Write a text file in your workspace (notes, drafts).',
      input: z.object({ path: z.string().min(1), content: z.string().max(200_000) }),
      async run(input) {
        const target = await inside(input.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, input.content);
        return { written: path.relative(root, target), bytes: Buffer.byteLength(input.content) };
      },
    },
  ];
}

/** Run one of an allow-listed set of scripts (name → file + fixed args); no shell, a time limit. */
export function runScriptTool(
  scripts: Readonly<Record<string, { command: string; args?: string[]; cwd?: string }>>,
  timeoutMs = 30_000,
): LlmTool<{ script: string }> {
  const names = Object.keys(scripts);
  return {
    name: 'run_script',
    description: `Run an allow-listed script and read its output. Scripts: ${names.join(', ')}.`,
    input: z.object({ script: z.enum(names as [string, ...string[]]) }),
    async run(input) {
      const script = scripts[input.script];
      if (script === undefined) throw new Error(`script ${input.script} is not allowed`);
      const { stdout, stderr } = await promisify(execFile)(script.command, script.args ?? [], {
        timeout: timeoutMs,
        maxBuffer: 1_000_000,
        ...(script.cwd === undefined ? {} : { cwd: script.cwd }),
      });
      return { stdout: stdout.slice(-10_000), stderr: stderr.slice(-2000) };
    },
  };
}
