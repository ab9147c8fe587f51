import crypto from 'node:crypto';
import net from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { getCookie, setCookie } from 'hono/cookie';
import type { DashboardConfig } from './dashboard-config.js';
import { isLoopbackAddress } from './loopback.js';

/** The cookie that carries proof of the token (its hash, never the token itself). */
export const SESSION_COOKIE = 'fleet_dashboard';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function sameSecret(given: string, expected: string): boolean {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  return crypto.timingSafeEqual(Buffer.from(sha256(given)), Buffer.from(sha256(expected)));
}

/** The host name of a Host header or an Origin's authority, lower-cased, without port or IPv6 brackets. */
export function hostnameOf(authority: string): string {
  const lower = authority.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(1, lower.indexOf(']') === -1 ? undefined : lower.indexOf(']'));
  const colon = lower.lastIndexOf(':');
  return colon === -1 || lower.indexOf(':') !== colon ? lower : lower.slice(0, colon);
}

/**
 * Whether a Host header may be served. A DNS-rebinding page reaches us under its own name, so
 * only names we answer to pass: localhost, IP literals (a page at an IP is same-origin with us
 * only if it is us) and DASHBOARD_ALLOWED_HOSTS.
 */
export function hostAllowed(host: string | undefined, config: Pick<DashboardConfig, 'allowedHosts'>): boolean {
  if (host === undefined || host === '') return false;
  const name = hostnameOf(host);
  return name === 'localhost' || net.isIP(name) !== 0 || config.allowedHosts.includes(name);
}

function refuse(status: 401 | 403, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/**
 * Who may do what, checked before any handler runs: the Host header is allow-listed; a request
 * from a non-loopback address shows DASHBOARD_TOKEN (Bearer header, or the cookie set by opening
 * the page once with ?token=); a POST comes from our own origin; read-only mode refuses every POST.
 * Nothing here uses the browser's crypto API or needs HTTPS, so approving works over plain HTTP.
 */
export function requestGuard(config: DashboardConfig): MiddlewareHandler {
  return async (context, next) => {
    const host = context.req.header('host');
    if (!hostAllowed(host, config)) return refuse(403, `Host "${host ?? ''}" is not one this dashboard answers to (DASHBOARD_ALLOWED_HOSTS).`);

    const remote = getConnInfo(context).remote.address ?? '';
    if (!isLoopbackAddress(remote)) {
      const url = new URL(context.req.url);
      const offered = url.searchParams.get('token');
      const bearer = /^Bearer (.+)$/.exec(context.req.header('authorization') ?? '')?.[1];
      const cookie = getCookie(context, SESSION_COOKIE);
      const token = config.token;
      const authorised =
        token !== undefined &&
        ((bearer !== undefined && sameSecret(bearer, token)) ||
          (cookie !== undefined && sameSecret(cookie, sha256(token))) ||
          (offered !== null && sameSecret(offered, token)));
      if (!authorised) return refuse(401, 'This dashboard needs its token from a non-loopback address: open it once as /?token=<DASHBOARD_TOKEN>.');
      if (offered !== null && token !== undefined && context.req.method === 'GET') {
        // Trade the token in the address bar for a cookie, and drop it from the URL (history, screenshots).
        setCookie(context, SESSION_COOKIE, sha256(token), { httpOnly: true, sameSite: 'Strict', path: '/' });
        url.searchParams.delete('token');
        return context.redirect(`${url.pathname}${url.search}`, 303);
      }
    }

    const method = context.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      if (config.readOnly) return refuse(403, 'This dashboard is read-only (DASHBOARD_READ_ONLY=true): nothing can be changed from it.');
      const origin = context.req.header('origin');
      let originHost: string | undefined;
      try {
        originHost = origin === undefined || origin === 'null' ? undefined : new URL(origin).host.toLowerCase();
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || originHost !== host?.toLowerCase())
        return refuse(403, `Refused: a change must come from this dashboard's own page (Origin ${origin ?? 'missing'}).`);
      if (context.req.header('sec-fetch-site') === 'cross-site') return refuse(403, 'Refused: a cross-site request cannot change anything.');
    }
    await next();
    context.header('x-frame-options', 'DENY');
    context.header('x-content-type-options', 'nosniff');
    context.header('referrer-policy', 'no-referrer');
  };
}
