/** A basic discount as the fake holds it (DiscountCodeBasic or DiscountAutomaticBasic). */
export interface FakeShopifyDiscount {
  /** gid://shopify/DiscountCodeNode/… or gid://shopify/DiscountAutomaticNode/… */
  id: string;
  kind: 'code' | 'automatic';
  title: string;
  code: string | null;
  status: 'ACTIVE' | 'SCHEDULED' | 'EXPIRED';
  startsAt: string;
  endsAt: string | null;
  /** A fraction, as the API states it (0.2 = 20% off). */
  percentage: number;
  /** Empty = all items. */
  variants: Array<{ id: string; sku: string }>;
  usageLimit: number | null;
  asyncUsageCount: number;
}

/** A change the discount mutations applied, in order. */
export interface FakeShopifyDiscountChange {
  mutation: string;
  id: string;
  input: Record<string, unknown>;
}

/** Marks a root field the discount slice does not serve. */
export const NOT_A_DISCOUNT_FIELD = Symbol('not a discount field');

type Connection = (nodes: unknown[], first: number, after: unknown) => unknown;

const userError = (field: string[], message: string, code: string) => ({ field, message, code });

function node(discount: FakeShopifyDiscount) {
  const customerGets = {
    value: { __typename: 'DiscountPercentage', percentage: discount.percentage },
    items:
      discount.variants.length === 0
        ? { __typename: 'AllDiscountItems', allItems: true }
        : { __typename: 'DiscountProducts', productVariants: { nodes: discount.variants.map((variant) => ({ id: variant.id, sku: variant.sku })) } },
  };
  const common = {
    title: discount.title,
    status: discount.status,
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    asyncUsageCount: discount.asyncUsageCount,
    customerGets,
  };
  return {
    id: discount.id,
    discount:
      discount.kind === 'code'
        ? {
            __typename: 'DiscountCodeBasic',
            ...common,
            usageLimit: discount.usageLimit,
            codes: { nodes: discount.code === null ? [] : [{ code: discount.code }] },
          }
        : { __typename: 'DiscountAutomaticBasic', ...common },
  };
}

/**
 * The Admin API's basic-discount slice: discountNodes, discountNode, codeDiscountNodeByCode,
 * discount{Code,Automatic}Basic{Create,Update} and discount{Code,Automatic}Deactivate, with their
 * userErrors. `variantOf` resolves a variant gid to its SKU (from the fake's inventory).
 */
export function resolveDiscountField(
  state: { discounts: FakeShopifyDiscount[]; changes: FakeShopifyDiscountChange[]; variantSku: (id: string) => string | null },
  field: string,
  variables: Record<string, unknown>,
  connection: Connection,
  first: () => number,
): unknown {
  const { discounts, changes } = state;
  const find = (id: unknown) => discounts.find((discount) => discount.id === id);
  switch (field) {
    case 'discountNodes':
      return connection(discounts.map(node), first(), variables['after']);
    case 'discountNode': {
      const found = find(variables['id']);
      return found === undefined ? null : node(found);
    }
    case 'codeDiscountNodeByCode': {
      const found = discounts.find((discount) => discount.code !== null && discount.code.toLowerCase() === String(variables['code']).toLowerCase());
      return found === undefined ? null : { id: found.id };
    }
    case 'discountCodeDeactivate':
    case 'discountAutomaticDeactivate': {
      const kind = field === 'discountCodeDeactivate' ? 'code' : 'automatic';
      const payloadKey = kind === 'code' ? 'codeDiscountNode' : 'automaticDiscountNode';
      const found = find(variables['id']);
      if (found === undefined || found.kind !== kind) return { [payloadKey]: null, userErrors: [userError(['id'], 'Discount does not exist', 'INVALID')] };
      found.status = 'EXPIRED';
      found.endsAt = new Date().toISOString();
      changes.push({ mutation: field, id: found.id, input: {} });
      return { [payloadKey]: { id: found.id }, userErrors: [] };
    }
    case 'discountCodeBasicUpdate':
    case 'discountAutomaticBasicUpdate': {
      const kind = field === 'discountCodeBasicUpdate' ? 'code' : 'automatic';
      const payloadKey = kind === 'code' ? 'codeDiscountNode' : 'automaticDiscountNode';
      const found = find(variables['id']);
      if (found === undefined || found.kind !== kind) return { [payloadKey]: null, userErrors: [userError(['id'], 'Discount does not exist', 'INVALID')] };
      const input = (variables['discount'] ?? {}) as { endsAt?: string; customerGets?: { items?: { products?: { productVariantsToRemove?: string[] } } } };
      if (input.endsAt !== undefined && Date.parse(input.endsAt) < Date.parse(found.startsAt))
        return { [payloadKey]: null, userErrors: [userError(['discount', 'endsAt'], 'Ends at needs to be after starts_at', 'INVALID')] };
      if (input.endsAt !== undefined) found.endsAt = new Date(input.endsAt).toISOString();
      const remove = input.customerGets?.items?.products?.productVariantsToRemove ?? [];
      found.variants = found.variants.filter((variant) => !remove.includes(variant.id));
      changes.push({ mutation: field, id: found.id, input: input as Record<string, unknown> });
      return { [payloadKey]: { id: found.id }, userErrors: [] };
    }
    case 'discountCodeBasicCreate':
    case 'discountAutomaticBasicCreate': {
      const kind = field === 'discountCodeBasicCreate' ? 'code' : 'automatic';
      const payloadKey = kind === 'code' ? 'codeDiscountNode' : 'automaticDiscountNode';
      const input = (variables['discount'] ?? {}) as {
        title?: string;
        code?: string;
        startsAt?: string;
        endsAt?: string | null;
        usageLimit?: number;
        customerGets?: { value?: { percentage?: number }; items?: { all?: boolean; products?: { productVariantsToAdd?: string[] } } };
      };
      if (input.title === undefined || input.startsAt === undefined || input.customerGets?.value?.percentage === undefined)
        return { [payloadKey]: null, userErrors: [userError(['discount'], 'title, startsAt and customerGets.value are required', 'BLANK')] };
      if (kind === 'code' && discounts.some((discount) => discount.code?.toLowerCase() === input.code?.toLowerCase()))
        return { [payloadKey]: null, userErrors: [userError(['basicCodeDiscount', 'code'], 'Code must be unique. Please try a different code.', 'TAKEN')] };
      const variants = (input.customerGets.items?.products?.productVariantsToAdd ?? []).map((id) => ({ id, sku: state.variantSku(id) ?? '' }));
      const id = `gid://shopify/${kind === 'code' ? 'DiscountCodeNode' : 'DiscountAutomaticNode'}/${8_000_000 + discounts.length + 1}`;
      discounts.push({
        id,
        kind,
        title: input.title,
        code: kind === 'code' ? (input.code ?? null) : null,
        status: Date.parse(input.startsAt) <= Date.now() ? 'ACTIVE' : 'SCHEDULED',
        startsAt: new Date(input.startsAt).toISOString(),
        endsAt: input.endsAt === undefined || input.endsAt === null ? null : new Date(input.endsAt).toISOString(),
        percentage: input.customerGets.value.percentage,
        variants,
        usageLimit: input.usageLimit ?? null,
        asyncUsageCount: 0,
      });
      changes.push({ mutation: field, id, input: input as Record<string, unknown> });
      return { [payloadKey]: { id }, userErrors: [] };
    }
    default:
      return NOT_A_DISCOUNT_FIELD;
  }
}
