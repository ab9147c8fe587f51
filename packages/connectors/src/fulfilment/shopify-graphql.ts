import { AsyncLocalStorage } from 'node:async_hooks';
import type { AdminApiClient } from '@shopify/admin-api-client';
import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';

/** Where and how to reach the store's Admin GraphQL API. */
export interface ShopifyGraphqlOptions {
  storeDomain: string;
  accessToken: string;
  apiVersion: string;
  /** Replaces https://<store> in every request (SHOPIFY_API_BASE): proxies and tests. */
  apiBase?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** One GraphQL call: the operation's data, or a ConnectorError naming what failed. */
export type ShopifyGraphql = <Data>(operation: string, variables: Record<string, unknown>, what: string) => Promise<Data>;

// The signal of the call in progress, handed to fetch: the client has no per-request signal option.
const requestSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * A GraphQL caller on @shopify/admin-api-client (imported on first use), every call bounded by
 * the timeout and the run's abort signal, errors (HTTP or GraphQL) as ConnectorError.
 */
export function shopifyGraphql(options: ShopifyGraphqlOptions): ShopifyGraphql {
  let clientPromise: Promise<AdminApiClient> | undefined;
  const client = (): Promise<AdminApiClient> =>
    (clientPromise ??= import('@shopify/admin-api-client').then(({ createAdminApiClient }) =>
      createAdminApiClient({
        storeDomain: options.storeDomain,
        apiVersion: options.apiVersion,
        accessToken: options.accessToken,
        customFetchApi: (url: string, init?: RequestInit) => {
          const original = new URL(url);
          const target = options.apiBase === undefined ? original : new URL(original.pathname + original.search, options.apiBase);
          const signal = requestSignal.getStore();
          return fetch(target, { ...init, ...(signal === undefined ? {} : { signal }) });
        },
      }),
    ));
  return async <Data>(operation: string, variables: Record<string, unknown>, what: string): Promise<Data> => {
    const shopify = await client();
    const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
    const response = await callVendor('Shopify', what, limits, (signal) => requestSignal.run(signal, () => shopify.request<Data>(operation, { variables })));
    if (response.errors !== undefined || response.data === undefined) {
      const detail = response.errors?.graphQLErrors?.map((error) => error.message).join('; ') ?? response.errors?.message ?? 'no data';
      throw new ConnectorError('shopify_request_failed', `Shopify ${what} failed: ${detail}`, { facts: { status: response.errors?.networkStatusCode, what } });
    }
    return response.data;
  };
}

/** Page through a connection: `pick` finds it in each response. */
export async function allNodes<Data, Node>(
  graphql: ShopifyGraphql,
  operation: string,
  variables: Record<string, unknown>,
  what: string,
  pick: (data: Data) => { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Node[] },
): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  do {
    const page: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Node[] } = pick(
      await graphql<Data>(operation, { ...variables, after }, what),
    );
    nodes.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return nodes;
}
