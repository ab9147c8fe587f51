import { allNodes, shopifyGraphql, type ShopifyGraphqlOptions } from './shopify-graphql.js';
import type { WholesaleHistoryConnector, WholesaleHistoryOrder } from './wholesale-history-connector.js';

// Wholesale history is the store's B2B orders tagged `wholesale` (as the open POs are), the buying
// company's externalId being its CRM id. Ordered units are each line's original quantity; shipped
// units are what is left after edits and cancellations (currentQuantity) less what is still
// unfulfilled, so a line cut short at the warehouse lowers the fill rate.
const HISTORY_QUERY = `#graphql
  query WholesaleHistory($query: String!, $after: String) {
    orders(first: 100, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        createdAt
        cancelledAt
        originalTotalPriceSet { shopMoney { amount } }
        purchasingEntity { ... on PurchasingCompany { company { id name externalId } } }
        lineItems(first: 100) { nodes { sku quantity currentQuantity unfulfilledQuantity } }
      }
    }
  }`;

interface HistoryNode {
  id: string;
  name: string;
  createdAt: string;
  cancelledAt: string | null;
  originalTotalPriceSet: { shopMoney: { amount: string } };
  purchasingEntity: { company?: { id: string; name: string; externalId: string | null } } | null;
  lineItems: { nodes: Array<{ sku: string | null; quantity: number; currentQuantity: number; unfulfilledQuantity: number }> };
}

/** Wholesale order history on Shopify's Admin GraphQL API (B2B orders tagged wholesale since a day). */
export function createShopifyWholesaleHistoryConnector(options: ShopifyGraphqlOptions): WholesaleHistoryConnector {
  const graphql = shopifyGraphql(options);
  return {
    source: 'shopify',
    async listOrdersSince(since) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new Error(`listOrdersSince: since must be YYYY-MM-DD, got ${JSON.stringify(since)}`);
      const nodes = await allNodes<{ orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: HistoryNode[] } }, HistoryNode>(
        graphql,
        HISTORY_QUERY,
        { query: `tag:wholesale created_at:>='${since}T00:00:00Z'` },
        'wholesale order history',
        (data) => data.orders,
      );
      return nodes
        .filter((node) => node.cancelledAt === null && node.purchasingEntity?.company?.externalId)
        .map((node): WholesaleHistoryOrder => {
          const company = node.purchasingEntity?.company;
          const lines = node.lineItems.nodes;
          return {
            orderId: node.name,
            accountId: company?.externalId ?? '',
            accountName: company?.name ?? node.name,
            orderedOn: node.createdAt.slice(0, 10),
            amount: Number(node.originalTotalPriceSet.shopMoney.amount),
            unitsOrdered: lines.reduce((sum, line) => sum + line.quantity, 0),
            unitsShipped: lines.reduce((sum, line) => sum + Math.max(0, line.currentQuantity - line.unfulfilledQuantity), 0),
            lines: lines.filter((line) => line.sku !== null).map((line) => ({ sku: line.sku ?? '', units: line.quantity })),
          };
        })
        .sort((left, right) => left.orderedOn.localeCompare(right.orderedOn) || left.orderId.localeCompare(right.orderId));
    },
  };
}
