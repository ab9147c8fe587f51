/** Where an order's customer last came from (Shopify customerJourneySummary.lastVisit). */
export interface OrderVisit {
  orderId: string;
  createdAt: string;
  /** paid / organic / email / direct / unknown. */
  sourceType: string;
  /** The last visit's UTM parameters; null when it carried none. */
  utm: { source: string | null; medium: string | null; campaign: string | null } | null;
}

/** The store's order attribution: which orders came from paid traffic and whether they were tagged. */
export interface OrderAttributionConnector {
  readonly source: 'sample' | 'shopify';
  /** DTC orders created in [from, to). */
  listOrderVisits(range: { from: Date; to: Date }): Promise<OrderVisit[]>;
}
