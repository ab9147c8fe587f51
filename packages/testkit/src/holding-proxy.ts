import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from './http-body.js';

/** A request the proxy is holding: the caller is left waiting until it is released or dropped. */
export interface HeldRequest {
  method: string;
  path: string;
  body: string;
  /** Whether the caller's connection is still open (false once its process died). */
  callerConnected(): boolean;
  /** Forward it upstream now; the answer goes to the caller if it is still there. Resolves with the upstream status. */
  release(): Promise<number>;
  /** Never forward it: the upstream never sees it; the caller's connection is closed. */
  drop(): void;
}

/** What decides, per request, whether the proxy holds it. */
export type HoldRule = (request: { method: string; path: string; body: string }) => boolean;

/**
 * An HTTP proxy in front of a fake vendor that can hold requests: with no rule it forwards
 * everything; a rule makes it hold the matching requests (a vendor that accepts and never
 * answers, or a call in flight at the moment a test kills the caller).
 */
export interface HoldingProxy {
  /** Point the client here (e.g. HUBSPOT_API_BASE). */
  url: string;
  /** Requests held so far and not yet released or dropped. */
  held: HeldRequest[];
  /** Hold what the rule matches from now on; null forwards everything. */
  holdWhen(rule: HoldRule | null): void;
  close(): Promise<void>;
}

/** Start a holding proxy on a free loopback port in front of `upstream` (http://host:port). */
export async function startHoldingProxy(upstream: string): Promise<HoldingProxy> {
  const target = new URL(upstream);
  let rule: HoldRule | null = null;
  const held: HeldRequest[] = [];

  const forward = (request: http.IncomingMessage, body: string, response: http.ServerResponse | null): Promise<number> =>
    new Promise((resolve, reject) => {
      const headers = { ...request.headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) };
      const outgoing = http.request({ hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (response !== null && !response.destroyed) {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(chunks));
          }
          resolve(answer.statusCode ?? 502);
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server = http.createServer((request, response) => {
    void (async () => {
      const body = await readRequestText(request);
      const path = new URL(request.url ?? '/', 'http://proxy').pathname;
      const method = request.method ?? 'GET';
      if (rule === null || !rule({ method, path, body })) {
        await forward(request, body, response).catch(() => response.destroy());
        return;
      }
      let connected = true;
      response.on('close', () => {
        connected = false;
      });
      const entry: HeldRequest = {
        method,
        path,
        body,
        callerConnected: () => connected,
        release: () => {
          held.splice(held.indexOf(entry), 1);
          return forward(request, body, connected ? response : null);
        },
        drop: () => {
          held.splice(held.indexOf(entry), 1);
          response.destroy();
        },
      };
      held.push(entry);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    holdWhen: (next) => {
      rule = next;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
