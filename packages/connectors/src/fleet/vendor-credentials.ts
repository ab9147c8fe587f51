import type { ServiceProbe } from '@jbot/core';
import { probeHubSpot } from '../crm/hubspot-crm-connector.js';
import { probeShopify } from '../commerce/shopify-commerce-connector.js';
import type { ConnectorsConfig } from '../connectors-config.js';
import { callVendor } from '../vendor-call.js';
import type { CredentialStatus, CredentialsConnector } from './fleet-ops-connectors.js';
import { createTlsCredentialsConnector, type TlsEndpoint } from './local-fleet-ops.js';

// The Graph API's answer about a token (debug_token).
interface DebugToken {
  data?: { is_valid?: boolean; expires_at?: number; data_access_expires_at?: number; type?: string };
}

const fromUnix = (seconds: number | undefined) => (seconds === undefined || seconds === 0 ? null : new Date(seconds * 1000));

// A failed probe's HTTP status for the credential row (0 when the vendor could not be reached).
const probeStatusOf = (probe: ServiceProbe) => (probe.ok ? 200 : 'status' in probe ? probe.status : 0);

/**
 * Meta's own word on the token (GET /debug_token through facebook-nodejs-business-sdk): when it
 * expires and when its data access ends, whichever is first. An invalid token is a 401.
 */
async function metaTokenStatus(meta: NonNullable<ConnectorsConfig['meta']>, timeoutMs: number, checkedAt: string): Promise<CredentialStatus> {
  const credential = { connector: 'meta', credential: 'Meta access token (META_ACCESS_TOKEN)', kind: 'token' as const, checkedAt };
  try {
    const answer = await callVendor('Meta', 'debug_token', { timeoutMs }, async () => {
      const module = await import('facebook-nodejs-business-sdk');
      const sdk = (module as { default?: unknown }).default ?? module;
      const { FacebookAdsApi } = sdk as {
        FacebookAdsApi: { init(token: string): { call(method: string, path: string[], params?: Record<string, unknown>): Promise<DebugToken> } };
      };
      // The SDK reads its host from a static getter (META_API_BASE for proxies and tests).
      if (meta.apiBase !== undefined) Object.defineProperty(FacebookAdsApi, 'GRAPH', { get: () => meta.apiBase, configurable: true });
      return FacebookAdsApi.init(meta.accessToken).call('GET', ['debug_token'], { input_token: meta.accessToken });
    });
    const data = answer.data ?? {};
    const ends = [fromUnix(data.expires_at), fromUnix(data.data_access_expires_at)].filter((date): date is Date => date !== null);
    const first = ends.sort((left, right) => left.getTime() - right.getTime())[0] ?? null;
    return { ...credential, expiresAt: first?.toISOString() ?? null, probeStatus: data.is_valid === false ? 401 : 200 };
  } catch (error) {
    // Graph answers an unusable token with HTTP 400 / OAuthException 190: for the operator that is "refused".
    const code = (error as { response?: { code?: unknown }; code?: unknown } | null)?.response?.code ?? (error as { code?: unknown } | null)?.code;
    const status = (error as { status?: unknown } | null)?.status;
    return { ...credential, expiresAt: null, probeStatus: code === 190 ? 401 : typeof status === 'number' ? status : 0 };
  }
}

/**
 * The credentials of this fleet's live vendors: each configured vendor's token probed (HubSpot
 * owners, Shopify shop, Meta debug_token with its expiry) and each TLS endpoint's certificate.
 * Vendors on the sample company are not listed; SP-API and Google are not wired yet.
 */
export function createVendorCredentialsConnector(config: ConnectorsConfig, tlsEndpoints: readonly TlsEndpoint[]): CredentialsConnector {
  const timeoutMs = Math.min(config.timeoutMs, 15_000);
  const tls = createTlsCredentialsConnector(tlsEndpoints, { timeoutMs });
  return {
    source: 'live',
    async listCredentials() {
      const checkedAt = new Date().toISOString();
      const results: CredentialStatus[] = [];
      if (config.hubspot !== undefined)
        results.push({
          connector: 'hubspot',
          credential: 'HubSpot private-app token (HUBSPOT_ACCESS_TOKEN)',
          kind: 'token',
          expiresAt: null,
          probeStatus: probeStatusOf(await probeHubSpot(config.hubspot)),
          checkedAt,
        });
      if (config.shopify !== undefined)
        results.push({
          connector: 'shopify',
          credential: 'Shopify Admin API token (SHOPIFY_ADMIN_ACCESS_TOKEN)',
          kind: 'token',
          expiresAt: null,
          probeStatus: probeStatusOf(await probeShopify({ ...config.shopify, timeoutMs })),
          checkedAt,
        });
      if (config.meta !== undefined) results.push(await metaTokenStatus(config.meta, timeoutMs, checkedAt));
      results.push(...(await tls.listCredentials()));
      return results;
    },
  };
}
