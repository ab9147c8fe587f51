import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@jbot/core';

/** A file the page loads, read once at start-up. */
interface Asset {
  body: Buffer;
  contentType: string;
}

const packageRoot = path.join(repositoryRoot, 'packages', 'dashboard');
const fromModules = (...segments: string[]) => path.join(packageRoot, 'node_modules', ...segments);

// No build step: the browser gets the npm packages' own dist files and our two hand-written ones.
const FILES: Record<string, string> = {
  'htmx.min.js': fromModules('htmx.org', 'dist', 'htmx.min.js'),
  'sse.js': fromModules('htmx-ext-sse', 'dist', 'sse.min.js'),
  'uPlot.iife.min.js': fromModules('uplot', 'dist', 'uPlot.iife.min.js'),
  'uPlot.min.css': fromModules('uplot', 'dist', 'uPlot.min.css'),
  'dashboard.js': path.join(packageRoot, 'public', 'dashboard.js'),
  'dashboard.css': path.join(packageRoot, 'public', 'dashboard.css'),
};

/** Read every asset now, so a missing file stops start-up with its path instead of breaking a page later. */
export function loadStaticAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, file] of Object.entries(FILES)) {
    let body: Buffer;
    try {
      body = fs.readFileSync(file);
    } catch (error) {
      throw new Error(`dashboard asset ${name} is missing at ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run pnpm install`, {
        cause: error,
      });
    }
    assets.set(name, { body, contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' });
  }
  return assets;
}
