import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { allNodes, shopifyGraphql, type ShopifyGraphqlOptions } from '../fulfilment/shopify-graphql.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { CreateDiscountResult, Discount, DiscountsConnector, UpdateDiscountResult } from './discounts-connector.js';

/** What the live discounts connector needs: the store's Admin API and the brain (side-effect ledger). */
export interface ShopifyDiscountsOptions extends ShopifyGraphqlOptions {
  db: Db;
  leaseSeconds?: number;
}

const GETS = `customerGets {
  value { __typename ... on DiscountPercentage { percentage } }
  items { __typename ... on DiscountProducts { productVariants(first: 100) { nodes { id sku } } } }
}`;

const DISCOUNT_FIELDS = `id
discount {
  __typename
  ... on DiscountCodeBasic { title status startsAt endsAt asyncUsageCount usageLimit codes(first: 1) { nodes { code } } ${GETS} }
  ... on DiscountAutomaticBasic { title status startsAt endsAt asyncUsageCount ${GETS} }
}`;

const LIST_DISCOUNTS = `query Discounts($after: String) {
  discountNodes(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${DISCOUNT_FIELDS} } }
}`;

const READ_DISCOUNT = `query Discount($id: ID!) { discountNode(id: $id) { ${DISCOUNT_FIELDS} } }`;

const CODE_ORDERS = `query CodeOrders($query: String!, $after: String) {
  orders(first: 100, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id createdAt discountCodes customerJourneySummary { lastVisit { referrerUrl landingPage } } }
  }
}`;

const VARIANTS_BY_SKU = `query VariantsBySku($query: String!, $after: String) {
  inventoryItems(first: 100, after: $after, query: $query) { pageInfo { hasNextPage endCursor } nodes { sku variant { id } } }
}`;

const UNIT_COSTS = `query UnitCosts($after: String) {
  inventoryItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { sku unitCost { amount } } }
}`;

const USER_ERRORS = 'userErrors { field message code }';
const UPDATE = {
  automatic: `mutation EndAutomatic($id: ID!, $discount: DiscountAutomaticBasicInput!) { discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $discount) { automaticDiscountNode { id } ${USER_ERRORS} } }`,
  code: `mutation EndCode($id: ID!, $discount: DiscountCodeBasicInput!) { discountCodeBasicUpdate(id: $id, basicCodeDiscount: $discount) { codeDiscountNode { id } ${USER_ERRORS} } }`,
};
const DEACTIVATE = {
  automatic: `mutation StopAutomatic($id: ID!) { discountAutomaticDeactivate(id: $id) { automaticDiscountNode { id } ${USER_ERRORS} } }`,
  code: `mutation StopCode($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { id } ${USER_ERRORS} } }`,
};
const CREATE = {
  automatic: `mutation CreateAutomatic($discount: DiscountAutomaticBasicInput!) { discountAutomaticBasicCreate(automaticBasicDiscount: $discount) { automaticDiscountNode { id } ${USER_ERRORS} } }`,
  code: `mutation CreateCode($discount: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $discount) { codeDiscountNode { id } ${USER_ERRORS} } }`,
};
const CODE_BY_CODE = `query CodeByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }`;

interface DiscountNode {
  id: string;
  discount: {
    __typename: string;
    title?: string;
    status?: string;
    startsAt?: string;
    endsAt?: string | null;
    asyncUsageCount?: number;
    usageLimit?: number | null;
    codes?: { nodes: Array<{ code: string }> };
    customerGets?: {
      value?: { __typename: string; percentage?: number };
      items?: { __typename: string; productVariants?: { nodes: Array<{ id: string; sku: string | null }> } };
    };
  } | null;
}

type Connection<Node> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Node[] };
type UserErrors = { userErrors: Array<{ field: string[] | null; message: string; code: string | null }> };

function discountFrom(node: DiscountNode): Discount | null {
  const discount = node.discount;
  if (discount === null || (discount.__typename !== 'DiscountCodeBasic' && discount.__typename !== 'DiscountAutomaticBasic')) return null;
  const status = discount.status === 'SCHEDULED' || discount.status === 'EXPIRED' ? discount.status : 'ACTIVE';
  const percentage = discount.customerGets?.value?.__typename === 'DiscountPercentage' ? discount.customerGets.value.percentage : undefined;
  return {
    id: node.id,
    kind: discount.__typename === 'DiscountCodeBasic' ? 'code' : 'automatic',
    title: discount.title ?? node.id,
    code: discount.codes?.nodes[0]?.code ?? null,
    status,
    startsAt: discount.startsAt ?? '',
    endsAt: discount.endsAt ?? null,
    // Shopify states a percentage as a fraction (0.2 = 20% off).
    percent: percentage === undefined ? null : Math.round(percentage * 10_000) / 100,
    skus: (discount.customerGets?.items?.productVariants?.nodes ?? []).map((variant) => variant.sku).filter((sku): sku is string => sku !== null && sku !== ''),
    usageLimit: discount.usageLimit ?? null,
    usageCount: discount.asyncUsageCount ?? 0,
  };
}

function checkUserErrors(what: string, result: UserErrors | undefined): void {
  const errors = result?.userErrors ?? [];
  if (errors.length > 0)
    throw new ConnectorError(
      'shopify_user_error',
      `Shopify ${what} was refused: ${errors.map((error) => `${error.message}${error.code === null ? '' : ` (${error.code})`}`).join('; ')}`,
      {
        facts: { what, codes: errors.map((error) => error.code ?? '') },
      },
    );
}

/**
 * Shopify discounts on @shopify/admin-api-client (loaded on first use): discountNodes for the
 * promotions and codes, orders by discount code with the visit's referrer, and the basic
 * discount mutations — each change once per key through the side-effect ledger.
 */
export function createShopifyDiscountsConnector(options: ShopifyDiscountsOptions): DiscountsConnector {
  const graphql = shopifyGraphql(options);
  const ledger = createSideEffectLedger(options.db, {
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
  });
  const readDiscount = async (id: string): Promise<{ discount: Discount | null; variants: Array<{ id: string; sku: string | null }> }> => {
    const data = await graphql<{ discountNode: DiscountNode | null }>(READ_DISCOUNT, { id }, 'discount read');
    return {
      discount: data.discountNode === null ? null : discountFrom(data.discountNode),
      variants: data.discountNode?.discount?.customerGets?.items?.productVariants?.nodes ?? [],
    };
  };
  const listAll = async (): Promise<Discount[]> => {
    const nodes = await allNodes<{ discountNodes: Connection<DiscountNode> }, DiscountNode>(
      graphql,
      LIST_DISCOUNTS,
      {},
      'discounts list',
      (data) => data.discountNodes,
    );
    return nodes.map(discountFrom).filter((discount): discount is Discount => discount !== null);
  };
  const variantIds = async (skus: readonly string[]): Promise<string[]> => {
    if (skus.length === 0) return [];
    const ids: string[] = [];
    // One lookup per SKU: the search syntax matches a single sku term exactly.
    for (const sku of skus) {
      const items = await allNodes<
        { inventoryItems: Connection<{ sku: string; variant: { id: string } | null }> },
        { sku: string; variant: { id: string } | null }
      >(graphql, VARIANTS_BY_SKU, { query: `sku:'${sku.replace(/'/g, '')}'` }, 'variants by SKU', (data) => data.inventoryItems);
      const id = items.find((item) => item.sku === sku)?.variant?.id;
      if (id === undefined)
        throw new ConnectorError('shopify_unknown_sku', `Shopify has no variant with SKU ${sku}: the discount cannot name it`, { facts: { sku } });
      ids.push(id);
    }
    return ids;
  };

  return {
    source: 'shopify',
    listDiscounts: listAll,
    async listUnitCosts() {
      type Item = { sku: string | null; unitCost?: { amount: string } | null };
      const items = await allNodes<{ inventoryItems: Connection<Item> }, Item>(graphql, UNIT_COSTS, {}, 'unit costs', (data) => data.inventoryItems);
      return items
        .filter((item): item is Item & { sku: string } => item.sku !== null && item.sku !== '')
        .map((item) => ({ sku: item.sku, unitCost: item.unitCost === undefined || item.unitCost === null ? null : Number(item.unitCost.amount) }));
    },
    async listCodeRedemptions(window) {
      type OrderNode = {
        id: string;
        createdAt: string;
        discountCodes?: string[];
        customerJourneySummary: { lastVisit: { referrerUrl: string | null; landingPage: string | null } | null } | null;
      };
      const orders = await allNodes<{ orders: Connection<OrderNode> }, OrderNode>(
        graphql,
        CODE_ORDERS,
        { query: `created_at:>='${window.since.toISOString()}' created_at:<'${window.until.toISOString()}' discount_code:*` },
        'orders by discount code',
        (data) => data.orders,
      );
      return orders.flatMap((order) =>
        (order.discountCodes ?? []).map((code) => ({
          orderId: order.id,
          code,
          createdAt: new Date(order.createdAt).toISOString(),
          referrerUrl: order.customerJourneySummary?.lastVisit?.referrerUrl ?? null,
          landingUrl: order.customerJourneySummary?.lastVisit?.landingPage ?? null,
        })),
      );
    },
    async updateDiscount(input) {
      const { result, performed } = await ledger.run<UpdateDiscountResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'shopify',
        action: input.deactivate === true ? 'discount.deactivate' : 'discount.update',
        request: { discountId: input.discountId, endsAt: input.endsAt ?? null, excludeSkus: input.excludeSkus ?? [], deactivate: input.deactivate ?? false },
        // After an uncertain attempt: the discount as it stands is the answer when it already shows the change.
        lookup: async () => {
          const { discount } = await readDiscount(input.discountId);
          if (discount === null) return null;
          const applied =
            input.deactivate === true
              ? discount.status === 'EXPIRED'
              : (input.endsAt === undefined || (discount.endsAt !== null && Date.parse(discount.endsAt) <= Date.parse(input.endsAt))) &&
                (input.excludeSkus ?? []).every((sku) => !discount.skus.includes(sku));
          return applied ? { discountId: discount.id, status: discount.status, endsAt: discount.endsAt, skus: discount.skus, changed: true } : null;
        },
        perform: async () => {
          if (input.deactivate === true) {
            const data = await graphql<Record<string, UserErrors>>(DEACTIVATE[input.kind], { id: input.discountId }, 'discount deactivate');
            checkUserErrors('discount deactivate', Object.values(data)[0]);
          } else {
            const { discount, variants } = await readDiscount(input.discountId);
            if (discount === null)
              throw new ConnectorError('shopify_unknown_discount', `Shopify has no discount ${input.discountId}`, { facts: { discountId: input.discountId } });
            const remove = variants.filter((variant) => variant.sku !== null && (input.excludeSkus ?? []).includes(variant.sku)).map((variant) => variant.id);
            const endsAt =
              input.endsAt === undefined
                ? undefined
                : discount.endsAt === null
                  ? input.endsAt
                  : new Date(Math.min(Date.parse(discount.endsAt), Date.parse(input.endsAt))).toISOString();
            const data = await graphql<Record<string, UserErrors>>(
              UPDATE[input.kind],
              {
                id: input.discountId,
                discount: {
                  ...(endsAt === undefined ? {} : { endsAt }),
                  ...(remove.length === 0 ? {} : { customerGets: { items: { products: { productVariantsToRemove: remove } } } }),
                },
              },
              'discount update',
            );
            checkUserErrors('discount update', Object.values(data)[0]);
          }
          const { discount } = await readDiscount(input.discountId);
          return {
            discountId: input.discountId,
            status: discount?.status ?? 'ACTIVE',
            endsAt: discount?.endsAt ?? null,
            skus: discount?.skus ?? [],
            changed: true,
          };
        },
      });
      return { ...result, changed: performed && result.changed };
    },
    async createDiscount(input) {
      if (input.kind === 'code' && (input.code === undefined || input.code === ''))
        throw new ConnectorError('discount_code_missing', 'A code discount needs its code', { facts: { title: input.title } });
      const { result, performed } = await ledger.run<CreateDiscountResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'shopify',
        action: `discount.create_${input.kind}`,
        request: { title: input.title, code: input.code ?? null, percent: input.percent, skus: input.skus },
        lookup: async () => {
          if (input.kind !== 'code') {
            const found = (await listAll()).find((discount) => discount.kind === 'automatic' && discount.title === input.title);
            return found === undefined ? null : { discountId: found.id, code: null, status: found.status, created: true };
          }
          const data = await graphql<{ codeDiscountNodeByCode: { id: string } | null }>(CODE_BY_CODE, { code: input.code }, 'discount by code');
          return data.codeDiscountNodeByCode === null
            ? null
            : { discountId: data.codeDiscountNodeByCode.id, code: input.code ?? null, status: 'ACTIVE', created: true };
        },
        perform: async () => {
          const variants = await variantIds(input.skus);
          const customerGets = {
            value: { percentage: input.percent / 100 },
            items: variants.length === 0 ? { all: true } : { products: { productVariantsToAdd: variants } },
          };
          const discount =
            input.kind === 'code'
              ? {
                  title: input.title,
                  code: input.code,
                  startsAt: input.startsAt,
                  endsAt: input.endsAt,
                  customerSelection: { all: true },
                  customerGets,
                  ...(input.usageLimit === undefined || input.usageLimit === null ? {} : { usageLimit: input.usageLimit }),
                }
              : { title: input.title, startsAt: input.startsAt, endsAt: input.endsAt, customerGets };
          const data = await graphql<Record<string, UserErrors & { codeDiscountNode?: { id: string } | null; automaticDiscountNode?: { id: string } | null }>>(
            CREATE[input.kind],
            { discount },
            'discount create',
          );
          const answer = Object.values(data)[0];
          checkUserErrors('discount create', answer);
          const id = answer?.codeDiscountNode?.id ?? answer?.automaticDiscountNode?.id;
          if (id === undefined)
            throw new ConnectorError('shopify_unexpected_answer', 'Shopify created the discount without naming it', { facts: { title: input.title } });
          return { discountId: id, code: input.code ?? null, status: Date.parse(input.startsAt) <= Date.now() ? 'ACTIVE' : 'SCHEDULED', created: true };
        },
      });
      return { ...result, created: performed && result.created };
    },
  };
}
