import { allNodes, shopifyGraphql, type ShopifyGraphqlOptions } from '../fulfilment/shopify-graphql.js';
import type { OrderAttributionConnector, OrderVisit } from './order-attribution-connector.js';

// The order's last visit before purchase (Shopify's customer journey): its source and UTM tags.
const ORDER_VISITS_QUERY = `query OrderVisits($query: String, $after: String) {
  orders(first: 100, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      name createdAt
      customerJourneySummary {
        ready
        lastVisit { source sourceType utmParameters { source medium campaign } }
      }
    }
  }
}`;

interface OrderVisitsResponse {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      name: string;
      createdAt: string;
      customerJourneySummary: {
        ready: boolean;
        lastVisit: {
          source: string | null;
          sourceType: string | null;
          utmParameters: { source: string | null; medium: string | null; campaign: string | null } | null;
        } | null;
      } | null;
    }>;
  };
}

// Shopify's marketing source types: paid ones (ads) vs the rest.
const PAID_SOURCE_TYPES = new Set(['AD', 'PAID', 'CPC', 'PPC', 'SEARCH_PAID', 'SOCIAL_PAID']);

/** How an order's last visit is classed: paid when Shopify says so, or its UTM medium says paid/cpc. */
function sourceTypeOf(visit: { sourceType: string | null; utmParameters: { medium: string | null } | null } | null): string {
  if (visit === null) return 'unknown';
  const type = (visit.sourceType ?? '').toUpperCase();
  const medium = (visit.utmParameters?.medium ?? '').toLowerCase();
  if (PAID_SOURCE_TYPES.has(type) || /^(paid|cpc|ppc|paid_social|paidsocial)$/.test(medium)) return 'paid';
  if (type === 'EMAIL' || medium === 'email') return 'email';
  if (type === 'DIRECT' || type === '') return type === '' ? 'unknown' : 'direct';
  return 'organic';
}

/**
 * Orders' last visits from Shopify's Admin GraphQL API (`customerJourneySummary.lastVisit`:
 * source type and utmParameters) on @shopify/admin-api-client, loaded on first use.
 */
export function createShopifyOrderAttributionConnector(options: ShopifyGraphqlOptions): OrderAttributionConnector {
  const graphql = shopifyGraphql(options);
  return {
    source: 'shopify',
    async listOrderVisits(range): Promise<OrderVisit[]> {
      const nodes = await allNodes<OrderVisitsResponse, OrderVisitsResponse['orders']['nodes'][number]>(
        graphql,
        ORDER_VISITS_QUERY,
        { query: `created_at:>='${range.from.toISOString()}' AND created_at:<'${range.to.toISOString()}'` },
        'order visits',
        (data) => data.orders,
      );
      return nodes.map((order) => {
        const visit = order.customerJourneySummary?.lastVisit ?? null;
        const utm = visit?.utmParameters ?? null;
        return {
          orderId: order.name,
          createdAt: order.createdAt,
          sourceType: sourceTypeOf(visit),
          utm: utm === null || (utm.source === null && utm.medium === null && utm.campaign === null) ? null : utm,
        };
      });
    },
  };
}
