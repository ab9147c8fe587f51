import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { callVendor, type VendorCallLimits } from '../vendor-call.js';

/** A Xero app's credentials for one organisation (OAuth2 refresh-token grant). */
export interface XeroCredentials {
  clientId: string;
  clientSecret: string;
  /** The refresh token from the consent (XERO_REFRESH_TOKEN); the brain keeps its rotations. */
  refreshToken: string;
  /** https://identity.xero.com/connect/token unless overridden (XERO_TOKEN_URL). */
  tokenUrl: string;
}

/** The current access token; `invalidate` drops it after Xero refused it. */
export type XeroTokenSource = (() => Promise<string>) & { invalidate(): void };

// A token this close to its expiry is refreshed first, so a call never leaves with a stale one.
const EXPIRY_MARGIN_MS = 60_000;
const CONNECTOR = 'xero';

/**
 * The Xero access token, refreshed from the refresh token and cached until a minute before it
 * expires. Xero rotates the refresh token on every refresh (the old one stops working), so the
 * new one is stored in the brain and used next time, by this process, after a restart and on the
 * standby host; the environment's token is the fallback when the stored one is refused. xero-node's
 * own refreshWithRefreshToken posts to a hard-coded host, so this one honours XERO_TOKEN_URL
 * (proxies, tests) and never logs a credential.
 */
export function createXeroTokenSource(db: Db, credentials: XeroCredentials, limits: VendorCallLimits, clock: () => number = Date.now): XeroTokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const refresh = async (refreshToken: string) => {
    const response = await callVendor('Xero', 'token refresh', limits, (signal) =>
      fetch(credentials.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        signal,
      }),
    );
    const answer = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
    return { status: response.status, ok: response.ok && typeof answer.access_token === 'string', answer };
  };

  const exchange = async (): Promise<string> => {
    const [stored] = await db.rpc('connector_refresh_token_get', { p_connector: CONNECTOR });
    const storedToken = typeof stored?.['refresh_token'] === 'string' ? stored['refresh_token'] : null;
    let used = storedToken ?? credentials.refreshToken;
    let result = await refresh(used);
    // The stored rotation was refused (revoked, or the app re-consented): try the environment's token once.
    if (!result.ok && storedToken !== null && storedToken !== credentials.refreshToken) {
      used = credentials.refreshToken;
      result = await refresh(used);
    }
    if (!result.ok || result.answer.access_token === undefined) {
      throw new ConnectorError(
        'xero_token_failed',
        `Xero token refresh failed (HTTP ${result.status}${result.answer.error === undefined ? '' : `, ${result.answer.error}`}): reconnect the Xero app and set XERO_REFRESH_TOKEN (check XERO_CLIENT_ID and XERO_CLIENT_SECRET)`,
        { facts: { status: result.status, error: result.answer.error ?? null } },
      );
    }
    if (typeof result.answer.refresh_token === 'string' && result.answer.refresh_token !== used)
      await db.rpc('connector_refresh_token_put', { p_connector: CONNECTOR, p_refresh_token: result.answer.refresh_token, p_replaced: used });
    cached = { token: result.answer.access_token, expiresAt: clock() + (result.answer.expires_in ?? 1800) * 1000 };
    return result.answer.access_token;
  };

  const source = async () => {
    if (cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > clock()) return cached.token;
    // Concurrent callers share one refresh (a second refresh would spend the rotated token).
    pending ??= exchange().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  // Xero revoked the token before its expiry (a 401): the next call refreshes.
  return Object.assign(source, { invalidate: () => (cached = undefined) });
}
