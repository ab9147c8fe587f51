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

/** Parcel carrier services (EasyPost): address verification (trackers and labels to come). */
export interface ParcelConnector {
  readonly source: 'sample' | 'easypost';
  verifyAddress(address: AddressToVerify): Promise<AddressVerification>;
}
