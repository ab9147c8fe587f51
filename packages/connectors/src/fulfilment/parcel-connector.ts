/** A delivery address to check. */
export interface AddressToVerify {
  /** The order it belongs to (the sample carrier keys its answers by order). */
  orderId: string;
  name: string;
  street1: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string;
}

/** The carrier's answer about an address. */
export interface AddressVerification {
  verified: boolean;
  errors: Array<{ code: string; field: string; message: string }>;
}

/** A label bought for an order, with its tracker: what it cost and where the parcel is. */
export interface ParcelShipment {
  shipmentId: string;
  trackerId: string;
  /** The order it ships (the label's reference). */
  orderId: string;
  customerName: string;
  customerEmail: string;
  trackingCode: string;
  carrier: string;
  service: string;
  /** What the customer paid for (the order's shipping line); null when the carrier side does not know it. */
  paidService: 'ground' | 'expedited' | null;
  /** The label's rate, before fees. */
  rate: number;
  fees: Array<{ type: string; amount: number }>;
  /** Shipping and order total the customer paid; null when the carrier side does not know them (EasyPost). */
  shippingCharged: number | null;
  orderTotal: number | null;
  createdAt: string;
  /** EasyPost tracker status: pre_transit, in_transit, out_for_delivery, delivered, return_to_sender, failure, error … */
  status: string;
  statusDetail: string | null;
  /** YYYY-MM-DD, when the carrier gave one. */
  estDeliveryDate: string | null;
  lastScanAt: string | null;
}

/** Parcel carrier services (EasyPost): labels with their trackers, address verification. */
export interface ParcelConnector {
  readonly source: 'sample' | 'easypost';
  verifyAddress(address: AddressToVerify): Promise<AddressVerification>;
  /** Labels bought since `since`, newest first, each with its tracker. */
  listShipments(since: Date): Promise<ParcelShipment[]>;
}
