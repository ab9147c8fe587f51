import os from 'node:os';
import { shellQuote } from './shell-quote.js';
import type { HostEntry } from './hosts-file.js';

/**
 * The `ssh` command line that runs one shell command on a host. The binary is FLEET_DEPLOY_SSH
 * when set (tests point it at a fake that runs the command locally against a temp directory).
 */
export function sshArguments(host: Pick<HostEntry, 'ssh' | 'sudo'>, command: string): string[] {
  const key = host.ssh.key === undefined ? [] : ['-i', host.ssh.key.startsWith('~/') ? `${os.homedir()}/${host.ssh.key.slice(2)}` : host.ssh.key];
  const remote = host.sudo ? `sudo -n sh -c ${shellQuote(command)}` : command;
  return ['-p', String(host.ssh.port), ...key, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', `${host.ssh.user}@${host.ssh.host}`, remote];
}
