import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { loadLlmConfig, type Db, type Env, type Logger } from '@jbot/core';
import { decideFromDashboard, notice, replyFromDashboard, runNowFromDashboard } from './dashboard-actions.js';
import type { DashboardConfig } from './dashboard-config.js';
import { pumpHints } from './hint-stream.js';
import { LiveHints } from './live-hints.js';
import { dashboardPage } from './page.js';
import { PANELS } from './panels/all-panels.js';
import type { PanelContext } from './panels/panel.js';
import { requestGuard } from './request-guard.js';
import { loadStaticAssets } from './static-assets.js';

/** What the dashboard needs: the brain, its settings, the environment (LLM caps) and a logger. */
export interface DashboardOptions {
  db: Db;
  config: DashboardConfig;
  env: Env;
  log: Logger;
  /** HEARTBEAT_INTERVAL_MS of the fleet: a heartbeat older than three of these is stale. */
  heartbeatIntervalMs: number;
  /** Shown in the header: embedded, postgres or supabase. */
  brainKind: string;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** http://127.0.0.1:<port> (the address it bound, with the port it got). */
  url: string;
  port: number;
  hints: LiveHints;
  stop(): Promise<void>;
}

const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

/** The Hono app: the page, one route per panel body, the SSE stream, the assets, and the POST actions. */
export function createDashboardApp(options: DashboardOptions, hints: LiveHints): Hono {
  const { db, config, log } = options;
  const assets = loadStaticAssets();
  const llm = loadLlmConfig(options.env);
  const app = new Hono();
  const panelContext = (url: string): PanelContext => ({
    db,
    config,
    llm,
    staleAfterSeconds: (options.heartbeatIntervalMs * 3) / 1000,
    query: new URL(url).searchParams,
  });

  app.use('*', requestGuard(config));
  app.use('/actions/*', bodyLimit({ maxSize: 16 * 1024, onError: (context) => context.text('The request is too large.', 413) }));
  app.onError((error, context) => {
    log.error({ err: error, path: context.req.path }, 'dashboard request failed');
    return context.html(notice(`Something failed: ${error.message}`, 'refused'), 500);
  });

  app.get('/', async (context) =>
    context.body(String(await dashboardPage(PANELS, panelContext(context.req.url), { listening: hints.listening, brain: options.brainKind })), 200, HTML),
  );
  app.get('/panels/:id', async (context) => {
    const panel = PANELS.find((candidate) => candidate.id === context.req.param('id'));
    if (panel === undefined) return context.text('no such panel', 404);
    return context.body(String(await panel.body(panelContext(context.req.url))), 200, HTML);
  });
  app.get('/events', (context) =>
    streamSSE(
      context,
      (stream) => pumpHints(stream, (onHint) => hints.subscribe(onHint)),
      async (error) => {
        log.warn({ err: error }, 'a live-update stream failed');
      },
    ),
  );
  app.get('/assets/:name', (context) => {
    const asset = assets.get(context.req.param('name'));
    if (asset === undefined) return context.text('not found', 404);
    return context.body(new Uint8Array(asset.body), 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
  });
  app.get('/healthz', (context) => context.json({ ok: true, pid: process.pid, listening: hints.listening, pages: hints.subscriberCount }));

  // Actions answer htmx with a fragment; a plain form post (no JavaScript) goes back to the page.
  const answer = (context: { req: { header(name: string): string | undefined } }, body: string, status = 200) =>
    context.req.header('hx-request') === 'true'
      ? new Response(body, { status, headers: HTML })
      : new Response(null, { status: 303, headers: { location: '/' } });

  app.post('/actions/approvals/:id/:decision', async (context) => {
    const decision = context.req.param('decision');
    if (decision !== 'approve' && decision !== 'reject') return context.text('unknown decision', 404);
    const result = await decideFromDashboard(db, config, context.req.param('id'), decision === 'approve' ? 'approved' : 'rejected');
    return answer(context, String(await result.body), result.status);
  });
  app.post('/actions/reply', async (context) => {
    const form = await context.req.parseBody();
    return answer(context, String(await replyFromDashboard(db, config, String(form['signal_id'] ?? ''), String(form['text'] ?? ''))));
  });
  app.post('/actions/run', async (context) => {
    const form = await context.req.parseBody();
    return answer(context, String(await runNowFromDashboard(db, config, String(form['bot'] ?? ''), String(form['job'] ?? ''))));
  });
  return app;
}

/** Start the dashboard: LISTEN for hints, then serve on config.host:config.port. */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const hints = new LiveHints(options.db, options.log);
  await hints.start();
  const app = createDashboardApp(options, hints);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: options.config.host, port: options.config.port }, () => resolve(started));
    started.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = options.config.host.includes(':') ? `[${options.config.host}]` : options.config.host;
  return {
    url: `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown === '[::]' ? '[::1]' : shown}:${port}`,
    port,
    hints,
    async stop() {
      await hints.stop();
      // Open SSE streams would hold close() forever: end them.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
