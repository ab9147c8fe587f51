import type { FakeShopifyStore } from './fake-shopify-store.js';

/**
 * Shopify's order editing as the fake serves it: orderEditBegin opens a calculated order over the
 * order's current line quantities, orderEditSetQuantity changes one calculated line, and
 * orderEditCommit writes them to the order (currentQuantity), recorded as one side effect.
 */
export function createFakeOrderEditing(store: FakeShopifyStore) {
  const sessions = new Map<string, { orderId: string; quantities: Map<string, number>; committed: boolean }>();
  const lineIdOf = (calculatedLineId: string) => calculatedLineId.replace('/CalculatedLineItem/', '/LineItem/');

  /** Answer one of orderEditBegin / orderEditSetQuantity / orderEditCommit. */
  return (field: string, variables: Record<string, unknown>): unknown => {
    if (field === 'orderEditBegin') {
      const order = store.orders.find((candidate) => candidate.id === variables['id']);
      if (order === undefined) return { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'The order does not exist.' }] };
      if (order.cancelledAt !== null) return { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'The order has been canceled.' }] };
      const id = `gid://shopify/CalculatedOrder/${sessions.size + 1}`;
      const lines = order.lineItems.nodes.filter((line) => line.id !== undefined);
      sessions.set(id, {
        orderId: order.id,
        quantities: new Map(lines.map((line) => [line.id ?? '', line.currentQuantity ?? line.quantity])),
        committed: false,
      });
      return {
        calculatedOrder: {
          id,
          lineItems: {
            nodes: lines.map((line) => ({
              id: (line.id ?? '').replace('/LineItem/', '/CalculatedLineItem/'),
              sku: line.sku,
              quantity: line.currentQuantity ?? line.quantity,
            })),
          },
        },
        userErrors: [],
      };
    }
    const session = sessions.get(String(variables['id'] ?? ''));
    if (session === undefined || session.committed)
      return {
        ...(field === 'orderEditCommit' ? { order: null } : { calculatedLineItem: null }),
        userErrors: [{ field: ['id'], message: 'The calculated order does not exist or was committed.' }],
      };
    if (field === 'orderEditSetQuantity') {
      const lineId = lineIdOf(String(variables['lineItemId'] ?? ''));
      const quantity = Number(variables['quantity']);
      if (!session.quantities.has(lineId))
        return { calculatedLineItem: null, userErrors: [{ field: ['lineItemId'], message: 'The line item does not exist.' }] };
      if (!Number.isInteger(quantity) || quantity < 0)
        return { calculatedLineItem: null, userErrors: [{ field: ['quantity'], message: 'Quantity must be 0 or more.' }] };
      session.quantities.set(lineId, quantity);
      return { calculatedLineItem: { id: variables['lineItemId'], quantity }, userErrors: [] };
    }
    // orderEditCommit
    const order = store.orders.find((candidate) => candidate.id === session.orderId);
    if (order === undefined) return { order: null, userErrors: [{ field: ['id'], message: 'The order does not exist.' }] };
    session.committed = true;
    for (const line of order.lineItems.nodes)
      if (line.id !== undefined && session.quantities.has(line.id)) line.currentQuantity = session.quantities.get(line.id) ?? line.quantity;
    store.sideEffects.push({
      mutation: 'orderEditCommit',
      target: order.id,
      input: { staffNote: variables['staffNote'] ?? null, quantities: Object.fromEntries(session.quantities) },
    });
    return {
      order: {
        id: order.id,
        lineItems: { nodes: order.lineItems.nodes.map((line) => ({ sku: line.sku, currentQuantity: line.currentQuantity ?? line.quantity })) },
      },
      userErrors: [],
    };
  };
}
