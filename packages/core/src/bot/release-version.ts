import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../config/repository-root.js';

/**
 * What a bot reports as its version in heartbeats: the release directory it runs from when it was
 * deployed (`/opt/jbot/releases/<time>-<sha>`, reached through `current`), so `fleet status` shows
 * which release each host runs; `local` when it runs from a checkout.
 */
export function releaseVersion(root: string = repositoryRoot): string {
  try {
    const real = fs.realpathSync(root);
    return path.basename(path.dirname(real)) === 'releases' ? path.basename(real) : 'local';
  } catch {
    return 'local';
  }
}
