import { ConnectorError } from '../connector-error.js';
import { callVendor, type VendorCallLimits } from '../vendor-call.js';

/** Login with Amazon credentials for one selling partner (refresh-token grant). */
export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** https://api.amazon.com/auth/o2/token unless overridden (AMAZON_LWA_TOKEN_URL). */
  tokenUrl: string;
}

// A token this close to its expiry is refreshed first, so a call never leaves with a stale one.
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The LWA access token for SP-API calls, exchanged from the refresh token and cached until a
 * minute before it expires. The SDK's own LwaAuthClient posts to a hard-coded host; this one
 * honours AMAZON_LWA_TOKEN_URL (proxies, tests) and never logs a credential.
 */
export function createLwaTokenSource(credentials: LwaCredentials, limits: VendorCallLimits, clock: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const exchange = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.refreshToken,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    const response = await callVendor('Amazon LWA', 'token exchange', limits, (signal) =>
      fetch(credentials.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body, signal }),
    );
    const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || typeof answer.access_token !== 'string') {
      throw new ConnectorError(
        'amazon_lwa_failed',
        `Amazon LWA token exchange failed (HTTP ${response.status}${answer.error === undefined ? '' : `, ${answer.error}`}): check AMAZON_SP_API_CLIENT_ID, AMAZON_SP_API_CLIENT_SECRET and AMAZON_SP_API_REFRESH_TOKEN`,
        { facts: { status: response.status, error: answer.error ?? null } },
      );
    }
    cached = { token: answer.access_token, expiresAt: clock() + (answer.expires_in ?? 3600) * 1000 };
    return answer.access_token;
  };
  return async () => {
    if (cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > clock()) return cached.token;
    // Concurrent callers share one exchange.
    pending ??= exchange().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
