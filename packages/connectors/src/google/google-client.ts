import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { ConnectorError } from '../connector-error.js';

/** How to reach Google for the operator's account: an OAuth client and the operator's refresh token. */
export interface GoogleOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Root of the REST APIs (GOOGLE_API_BASE; tests point it at the fake). Default: each API's own host. */
  apiBase?: string;
  /** The OAuth token endpoint (GOOGLE_OAUTH_TOKEN_URL). Default https://oauth2.googleapis.com/token. */
  tokenUrl?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** The OAuth2 client type both Google SDKs accept as `auth`. */
export type GoogleAuth = InstanceType<Awaited<typeof import('@googleapis/calendar')>['auth']['OAuth2']>;

/**
 * An OAuth2 client that trades the refresh token for access tokens (and refreshes them when they
 * expire). The SDK is imported on first use, so a bot that never reads the calendar loads none of it.
 */
export function googleAuth(options: GoogleOptions): () => Promise<GoogleAuth> {
  let client: Promise<GoogleAuth> | undefined;
  return () =>
    (client ??= import('@googleapis/calendar').then(({ auth }) => {
      const oauth = new auth.OAuth2({
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        // An access token refused before its expiry (revoked, rotated) is refreshed once and the call retried.
        forceRefreshOnFailure: true,
        ...(options.tokenUrl === undefined ? {} : { endpoints: { oauth2TokenUrl: options.tokenUrl } }),
      });
      oauth.setCredentials({ refresh_token: options.refreshToken });
      return oauth;
    }));
}

/** A Google API call failed: names the API, the operation and the HTTP status, never the token. */
export class GoogleApiError extends ConnectorError {
  constructor(api: string, operation: string, status: number | null, detail: string, cause: unknown) {
    const hint =
      status === 400 && /invalid_grant/.test(detail)
        ? ': GOOGLE_WORKSPACE_REFRESH_TOKEN was refused (revoked or expired); authorise the operator account again'
        : status === 401 || status === 403
          ? ': check the OAuth scopes granted to GOOGLE_WORKSPACE_CLIENT_ID'
          : '';
    super('google_api_error', `Google ${api} ${operation} failed${status === null ? '' : ` (HTTP ${status})`}: ${detail}${hint}`, {
      facts: { api, operation, status },
      cause,
    });
  }
}

/** One Google call under its timeout and the run's abort signal; errors become GoogleApiError. */
export async function googleCall<Result>(
  options: GoogleOptions,
  api: string,
  operation: string,
  call: (signal: AbortSignal) => Promise<Result>,
): Promise<Result> {
  try {
    return await callVendor(
      `Google ${api}`,
      operation,
      { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) },
      call,
    );
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    const data = response?.data as { error?: { message?: string } | string; error_description?: string } | undefined;
    const detail =
      typeof data?.error === 'string'
        ? `${data.error}${data.error_description === undefined ? '' : ` (${data.error_description})`}`
        : (data?.error?.message ?? (error instanceof Error ? error.message : String(error)));
    throw new GoogleApiError(api, operation, response?.status ?? null, detail, error);
  }
}

/** The root URL option for an SDK client: the configured base with one trailing slash. */
export function rootUrlOption(options: GoogleOptions): { rootUrl?: string } {
  return options.apiBase === undefined ? {} : { rootUrl: `${options.apiBase.replace(/\/+$/, '')}/` };
}
