#!/usr/bin/env node
// A stand-in for `ssh` (FLEET_DEPLOY_SSH): parses ssh's arguments like the real client, records
// the call in $FAKE_SSH_LOG (one JSON line), and runs the command with `sh -c` on this machine
// with bin/ (fake systemctl and pnpm) first on PATH. The "remote root" is whatever temp
// directories the test's hosts file names. stdin is passed through (the release tarball).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const withValue = new Set(['-p', '-i', '-o', '-l', '-F', '-J']);
const options = {};
let index = 0;
for (; index < args.length; index += 1) {
  const arg = args[index];
  if (withValue.has(arg)) {
    options[arg] = [...(options[arg] ?? []), args[index + 1]];
    index += 1;
  } else if (arg.startsWith('-')) options[arg] = [...(options[arg] ?? []), true];
  else break;
}
const destination = args[index];
const command = args.slice(index + 1).join(' ');
if (destination === undefined || command === '') {
  process.stderr.write('fake-ssh: expected [options] destination command\n');
  process.exit(255);
}
fs.appendFileSync(process.env.FAKE_SSH_LOG, `${JSON.stringify({ destination, options, command })}\n`);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin');
const result = spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
process.exit(result.status ?? 255);
