import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository (or release) root: the nearest folder above this module holding
 * pnpm-workspace.yaml. Found by walking up rather than a fixed "../../.." so the same code
 * works from source (tsx) and from a bundle under .data/build or a release directory.
 */
function findRepositoryRoot(start: string): string {
  let directory = start;
  for (;;) {
    if (fs.existsSync(path.join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
}

/** The repository root, where `.data/`, `supabase/` and `bots/` live. */
export const repositoryRoot = findRepositoryRoot(import.meta.dirname);
