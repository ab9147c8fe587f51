import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';
import { FakeShopifyStore, type FakeShopifyOrder, type FakeShopifySeed, type FakeShopifySideEffect } from './fake-shopify-store.js';
import { createFakeOrderEditing } from './fake-shopify-order-edit.js';
import { NOT_A_DISCOUNT_FIELD, resolveDiscountField, type FakeShopifyDiscountChange } from './fake-shopify-discounts.js';

/** A fault to inject into the next request whose GraphQL root field matches. */
export interface FakeShopifyFault {
  /** The root field: `orders`, `inventoryItems`, `fulfillmentOrderHold` … */
  field: string;
  /** An HTTP error status; default 500. */
  status?: number;
  /** Apply the mutation, then answer with the error: a response lost after the write landed. */
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of the Shopify Admin GraphQL API the fleet uses. */
export interface FakeShopify {
  /** Point SHOPIFY_API_BASE here. */
  url: string;
  accessToken: string;
  storeDomain: string;
  store: FakeShopifyStore;
  /** Every request: the root fields asked and the variables. */
  requests: Array<{ path: string; fields: string[]; variables: Record<string, unknown> }>;
  /** Holds and cancellations applied, in order. */
  sideEffects: FakeShopifySideEffect[];
  /** Discount mutations applied, in order (fake-shopify-discounts.ts). */
  discountChanges: FakeShopifyDiscountChange[];
  failNext(fault: FakeShopifyFault): void;
  close(): Promise<void>;
}

/** Options for the fake. */
export interface FakeShopifyOptions {
  seed?: FakeShopifySeed;
  /** Requests must carry `X-Shopify-Access-Token: <token>`; default "shpat_fake". */
  accessToken?: string;
}

class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

/** The root fields of a GraphQL document: identifiers at depth 1 of its first selection set. */
export function rootFields(document: string): string[] {
  const body = document.replace(/#[^\n]*/g, '');
  const start = body.indexOf('{');
  if (start < 0) throw new GraphqlError('Syntax error: no selection set');
  const fields: string[] = [];
  let depth = 0;
  let parens = 0;
  for (let index = start; index < body.length; index++) {
    const character = body[index];
    if (character === '(') parens++;
    else if (character === ')') parens--;
    else if (parens === 0 && character === '{') depth++;
    else if (parens === 0 && character === '}') depth--;
    else if (parens === 0 && depth === 1 && /[A-Za-z_]/.test(character ?? '') && !/[A-Za-z0-9_]/.test(body[index - 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(index))?.[0] ?? '';
      const after = body.slice(index + name.length).trimStart();
      // An alias (`alias: field`) names the field that follows it.
      if (after.startsWith(':')) continue;
      fields.push(name);
      index += name.length - 1;
    }
  }
  return fields;
}

function literalFirst(document: string, field: string): number {
  const match = new RegExp(`${field}\\s*\\(([^)]*)\\)`).exec(document);
  const first = /first:\s*(\d+)/.exec(match?.[1] ?? '');
  if (first === null) throw new GraphqlError(`you must provide one of first or last for the ${field} connection`);
  const value = Number(first[1]);
  if (value > 250) throw new GraphqlError(`The ${field} connection's first argument must be at most 250`);
  return value;
}

function connection<Node>(nodes: Node[], first: number, after: unknown) {
  const start = typeof after === 'string' && after !== '' ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
  const slice = nodes.slice(start, start + first);
  const end = start + slice.length;
  return {
    pageInfo: { hasNextPage: end < nodes.length, endCursor: slice.length === 0 ? null : Buffer.from(String(end)).toString('base64') },
    nodes: slice,
  };
}

const HOLD_REASONS = new Set(['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'INVENTORY_OUT_OF_STOCK', 'UNKNOWN_DELIVERY_DATE', 'OTHER']);

/** Start the fake Shopify Admin API on a free loopback port. */
export async function startFakeShopify(options: FakeShopifyOptions = {}): Promise<FakeShopify> {
  const accessToken = options.accessToken ?? 'shpat_fake';
  const store = new FakeShopifyStore(options.seed);
  const requests: FakeShopify['requests'] = [];
  const faults: FakeShopifyFault[] = [];
  const orderEdit = createFakeOrderEditing(store);
  const discountChanges: FakeShopifyDiscountChange[] = [];
  const variantSku = (id: string) => store.inventoryItems.find((item) => item.variant.id === id)?.sku ?? null;

  function resolveField(field: string, document: string, variables: Record<string, unknown>): unknown {
    switch (field) {
      case 'shop':
        return { name: store.shopName };
      case 'orders':
        return connection(
          store.searchOrders(typeof variables['query'] === 'string' ? variables['query'] : null),
          literalFirst(document, 'orders'),
          variables['after'],
        );
      case 'inventoryItems': {
        const query = typeof variables['query'] === 'string' ? variables['query'] : '';
        const sku = /^sku:'?([^']+)'?$/.exec(query)?.[1];
        if (query !== '' && sku === undefined) throw new GraphqlError(`fake Shopify: unsupported inventoryItems query "${query}"`);
        const items = sku === undefined ? store.inventoryItems : store.inventoryItems.filter((item) => item.sku === sku);
        return connection(items, literalFirst(document, 'inventoryItems'), variables['after']);
      }
      case 'inventorySetQuantities':
        return setQuantities(variables);
      case 'productVariants':
        return connection(
          store.inventoryItems.map((item) => ({
            sku: item.sku,
            displayName: item.variant.displayName,
            inventoryQuantity: item.inventoryLevels.nodes.reduce(
              (sum, level) => sum + (level.quantities.find((quantity) => quantity.name === 'on_hand')?.quantity ?? 0),
              0,
            ),
            product: item.variant.product,
          })),
          literalFirst(document, 'productVariants'),
          variables['after'],
        );
      case 'order':
        return store.orders.find((order) => order.id === variables['id']) ?? null;
      case 'fulfillmentOrderHold':
        return holdFulfillmentOrder(variables);
      case 'orderCancel':
        return cancelOrder(variables);
      case 'orderEditBegin':
      case 'orderEditSetQuantity':
      case 'orderEditCommit':
        return orderEdit(field, variables);
      default: {
        const discount = resolveDiscountField({ discounts: store.discounts, changes: discountChanges, variantSku }, field, variables, connection, () =>
          literalFirst(document, field),
        );
        if (discount !== NOT_A_DISCOUNT_FIELD) return discount;
        throw new GraphqlError(`Field '${field}' doesn't exist on type 'QueryRoot' (fake Shopify)`, 'undefinedField');
      }
    }
  }

  function holdFulfillmentOrder(variables: Record<string, unknown>) {
    const id = String(variables['id'] ?? '');
    const hold = (variables['fulfillmentHold'] ?? {}) as { reason?: string; reasonNotes?: string; handle?: string };
    const found = store.orderOfFulfillmentOrder(id);
    if (found === null)
      return {
        fulfillmentHold: null,
        fulfillmentOrder: null,
        userErrors: [{ field: ['id'], message: 'Fulfillment order does not exist.', code: 'FULFILLMENT_ORDER_NOT_FOUND' }],
      };
    if (hold.reason === undefined || !HOLD_REASONS.has(hold.reason))
      throw new GraphqlError(`Variable $fulfillmentHold of type FulfillmentOrderHoldInput! was provided invalid value for reason`, 'INVALID_VARIABLE');
    const { order, fulfillmentOrder } = found;
    if (hold.handle !== undefined && fulfillmentOrder.fulfillmentHolds.some((existing) => existing.handle === hold.handle))
      return {
        fulfillmentHold: null,
        fulfillmentOrder,
        userErrors: [{ field: ['fulfillmentHold', 'handle'], message: 'A hold with this handle already exists.', code: 'DUPLICATE_FULFILLMENT_HOLD_HANDLE' }],
      };
    if (fulfillmentOrder.status !== 'OPEN' && fulfillmentOrder.status !== 'ON_HOLD' && fulfillmentOrder.status !== 'SCHEDULED')
      return {
        fulfillmentHold: null,
        fulfillmentOrder,
        userErrors: [{ field: ['id'], message: `Fulfillment order cannot be held in status ${fulfillmentOrder.status}.`, code: 'INVALID_STATUS' }],
      };
    const created = {
      id: `gid://shopify/FulfillmentHold/${store.sideEffects.length + 1}`,
      reason: hold.reason,
      reasonNotes: hold.reasonNotes ?? null,
      handle: hold.handle ?? null,
    };
    fulfillmentOrder.fulfillmentHolds.push(created);
    fulfillmentOrder.status = 'ON_HOLD';
    order.displayFulfillmentStatus = 'ON_HOLD';
    store.sideEffects.push({ mutation: 'fulfillmentOrderHold', target: id, input: hold });
    return { fulfillmentHold: created, fulfillmentOrder: { id: fulfillmentOrder.id, status: fulfillmentOrder.status }, userErrors: [] };
  }

  function setQuantities(variables: Record<string, unknown>) {
    const input = (variables['input'] ?? {}) as {
      name?: string;
      reason?: string;
      quantities?: Array<{ inventoryItemId: string; locationId: string; quantity: number; compareQuantity?: number | null }>;
    };
    if (input.name !== 'available' && input.name !== 'on_hand')
      throw new GraphqlError('InventorySetQuantitiesInput.name must be available or on_hand', 'INVALID_VARIABLE');
    if (input.reason === undefined) throw new GraphqlError('InventorySetQuantitiesInput.reason is required', 'INVALID_VARIABLE');
    const changes: Array<{ name: string; delta: number; quantityAfterChange: number }> = [];
    for (const change of input.quantities ?? []) {
      const item = store.inventoryItems.find((candidate) => candidate.id === change.inventoryItemId);
      const level = item?.inventoryLevels.nodes.find((candidate) => candidate.location.id === change.locationId);
      if (level === undefined)
        return {
          inventoryAdjustmentGroup: null,
          userErrors: [
            { field: ['input', 'quantities'], message: 'The specified inventory item is not stocked at the location.', code: 'ITEM_NOT_STOCKED_AT_LOCATION' },
          ],
        };
      const quantity = (name: string) => level.quantities.find((candidate) => candidate.name === name);
      const target = quantity(input.name);
      const current = target?.quantity ?? 0;
      if (change.compareQuantity !== undefined && change.compareQuantity !== null && change.compareQuantity !== current)
        return {
          inventoryAdjustmentGroup: null,
          userErrors: [
            {
              field: ['input', 'quantities', '0', 'compareQuantity'],
              message: 'The compareQuantity argument no longer matches the persisted quantity.',
              code: 'COMPARE_QUANTITY_STALE',
            },
          ],
        };
      const delta = change.quantity - current;
      // available and on_hand move together (a correction changes what is on the shelf).
      for (const name of ['available', 'on_hand']) {
        const entry = quantity(name);
        if (entry !== undefined) entry.quantity += delta;
      }
      changes.push({ name: input.name, delta, quantityAfterChange: change.quantity });
    }
    store.sideEffects.push({
      mutation: 'inventorySetQuantities',
      target: input.quantities?.[0]?.inventoryItemId ?? '',
      input: input as Record<string, unknown>,
    });
    return { inventoryAdjustmentGroup: { reason: input.reason, changes }, userErrors: [] };
  }

  function cancelOrder(variables: Record<string, unknown>) {
    const order: FakeShopifyOrder | undefined = store.orders.find((candidate) => candidate.id === variables['orderId']);
    if (order === undefined) return { job: null, orderCancelUserErrors: [{ field: ['orderId'], message: 'Order does not exist', code: 'NOT_FOUND' }] };
    if (order.cancelledAt !== null)
      return { job: null, orderCancelUserErrors: [{ field: ['orderId'], message: 'Order has already been cancelled', code: 'INVALID' }] };
    if (typeof variables['reason'] !== 'string' || typeof variables['restock'] !== 'boolean' || variables['refundMethod'] === undefined)
      throw new GraphqlError('Variables $reason, $restock and $refundMethod are required', 'INVALID_VARIABLE');
    order.cancelledAt = new Date().toISOString();
    order.displayFinancialStatus = 'REFUNDED';
    for (const fulfillmentOrder of order.fulfillmentOrders.nodes) fulfillmentOrder.status = 'CANCELLED';
    store.sideEffects.push({ mutation: 'orderCancel', target: order.id, input: variables });
    return { job: { id: `gid://shopify/Job/${store.sideEffects.length}`, done: false }, orderCancelUserErrors: [] };
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const url = new URL(request.url ?? '/', 'http://fake');
      if (request.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(url.pathname)) return send(404, { errors: 'Not Found' });
      if (request.headers['x-shopify-access-token'] !== accessToken)
        return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      let parsed: { query?: string; variables?: Record<string, unknown> };
      try {
        parsed = JSON.parse(await readRequestText(request)) as typeof parsed;
      } catch {
        return send(400, { errors: { query: 'Required parameter missing or invalid' } });
      }
      const document = parsed.query ?? '';
      const variables = parsed.variables ?? {};
      try {
        const fields = rootFields(document);
        requests.push({ path: url.pathname, fields, variables });
        const faultIndex = faults.findIndex((fault) => fields.includes(fault.field));
        const fault = faultIndex < 0 ? undefined : faults.splice(faultIndex, 1)[0];
        if (fault !== undefined && fault.afterApply !== true) return send(fault.status ?? 500, { errors: 'Internal Server Error' });
        const data: Record<string, unknown> = {};
        for (const field of fields) data[field] = resolveField(field, document, variables);
        if (fault !== undefined) return send(fault.status ?? 500, { errors: 'Internal Server Error' });
        send(200, {
          data,
          extensions: {
            cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } },
          },
        });
      } catch (error) {
        const code = error instanceof GraphqlError ? error.code : 'INTERNAL_SERVER_ERROR';
        send(200, { errors: [{ message: error instanceof Error ? error.message : String(error), extensions: { code } }] });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    storeDomain: 'fake-shop.myshopify.com',
    store,
    requests,
    sideEffects: store.sideEffects,
    discountChanges,
    failNext: (fault) => faults.push(fault),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
