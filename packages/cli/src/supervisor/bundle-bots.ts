import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@jbot/core';

/** Where bundles go in a data directory (FLEET_DATA_DIR); one `<bot>.mjs` per bot. */
export function bundleDirectoryIn(dataDir: string): string {
  return path.join(dataDir, 'build');
}

/** Where bundles go by default: `.data/build` in the repository (the path the systemd unit runs). */
export const bundleDirectory = bundleDirectoryIn(path.join(repositoryRoot, '.data'));

/**
 * Bundle each bot's entry (the fleet's process entry for that bot, with our workspace packages)
 * into `<bot>.mjs`; chunks are shared, each bot's own code stays in its own. Running a bundle
 * with plain `node` saves the ~37 MB the tsx loader costs per process; third-party packages
 * stay external, imported by absolute path so pnpm's strict layout still resolves them.
 */
export async function bundleBots(bots: readonly string[], outDirectory = bundleDirectory): Promise<Map<string, string>> {
  const esbuild = await import('esbuild');
  fs.mkdirSync(outDirectory, { recursive: true });
  // The dashboard, when asked for, is bundled beside the bots from its own process entry.
  const entryPoints = Object.fromEntries(
    bots.map((bot) => [bot, bot === 'dashboard' ? path.join(repositoryRoot, 'packages', 'dashboard', 'src', 'main.ts') : `fleet-bot:${bot}`]),
  );
  const fleetSource = path.join(repositoryRoot, 'packages', 'fleet', 'src');
  await esbuild.build({
    entryPoints,
    outdir: outDirectory,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [
      {
        // `fleet-bot:<bot>` is a two-line entry that runs that bot of the roster.
        name: 'fleet-bot-entries',
        setup(build) {
          build.onResolve({ filter: /^fleet-bot:/ }, (args) => ({ path: args.path.slice('fleet-bot:'.length), namespace: 'fleet-bot' }));
          build.onLoad({ filter: /.*/, namespace: 'fleet-bot' }, (args) => ({
            contents: `import { runFleetBot } from './run-fleet-bot.ts';\nawait runFleetBot(${JSON.stringify(args.path)});\n`,
            resolveDir: fleetSource,
            loader: 'ts',
          }));
        },
      },
      {
        name: 'external-packages-by-path',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('@jbot/') || args.path.startsWith('node:') || args.pluginData === 'resolving') return undefined;
            const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
            if (resolved.errors.length > 0 || resolved.path === '') return { path: args.path, external: true };
            return { path: resolved.path, external: true };
          });
        },
      },
    ],
  });
  return new Map(bots.map((bot) => [bot, path.join(outDirectory, `${bot}.mjs`)]));
}
