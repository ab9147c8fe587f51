import type { SampleCompanyData } from '../sample/sample-company-data.js';

/** A shipment as EasyPost's v2 API returns it, with its embedded tracker (what a fake EasyPost serves). */
export interface EasyPostShipmentSeed {
  id: string;
  object: 'Shipment';
  created_at: string;
  reference: string | null;
  mode: 'test' | 'production';
  to_address: {
    name: string | null;
    email: string | null;
    street1: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
    country: string;
  };
  selected_rate: { id: string; object: 'Rate'; carrier: string; service: string; rate: string; currency: string } | null;
  fees: Array<{ object: 'Fee'; type: string; amount: string; charged: boolean; refunded: boolean }>;
  tracking_code: string | null;
  tracker: {
    id: string;
    object: 'Tracker';
    tracking_code: string;
    status: string;
    status_detail: string | null;
    est_delivery_date: string | null;
    carrier: string;
    shipment_id: string;
    updated_at: string;
    tracking_details: Array<{ object: 'TrackingDetail'; datetime: string; message: string; status: string; status_detail: string | null }>;
  } | null;
}

interface SampleParcel {
  id: string;
  tracker_id: string;
  order_id: string;
  customer_name: string;
  customer_email: string;
  tracking_code: string;
  carrier: string;
  service: string;
  rate: number;
  fees: Array<{ type: string; amount: number }>;
  created_hours_ago: number;
  status: string;
  status_detail: string | null;
  est_delivery_in_days: number | null;
  last_scan_hours_ago: number | null;
}

const HOUR_MS = 3_600_000;

/** The sample company's labels and trackers as EasyPost would hold them, times resolved against `now`. */
export function easypostShipmentsFromSample(data: SampleCompanyData, now: Date): EasyPostShipmentSeed[] {
  const parcels = ((data as Partial<SampleCompanyData>).shipbot as { parcel_shipments?: SampleParcel[] } | undefined)?.parcel_shipments ?? [];
  const today = now.toISOString().slice(0, 10);
  return parcels.map((parcel) => {
    const createdAt = new Date(now.getTime() - parcel.created_hours_ago * HOUR_MS).toISOString();
    const lastScan = parcel.last_scan_hours_ago === null ? createdAt : new Date(now.getTime() - parcel.last_scan_hours_ago * HOUR_MS).toISOString();
    const estDelivery =
      parcel.est_delivery_in_days === null
        ? null
        : `${new Date(Date.parse(`${today}T00:00:00Z`) + parcel.est_delivery_in_days * 86_400_000).toISOString().slice(0, 10)}T23:59:00Z`;
    return {
      id: parcel.id,
      object: 'Shipment',
      created_at: createdAt,
      reference: parcel.order_id,
      mode: 'production',
      to_address: { name: parcel.customer_name, email: parcel.customer_email, street1: null, city: null, state: null, zip: null, country: 'US' },
      selected_rate: {
        id: `rate_${parcel.id}`,
        object: 'Rate',
        carrier: parcel.carrier,
        service: parcel.service,
        rate: parcel.rate.toFixed(2),
        currency: 'USD',
      },
      fees: [
        { object: 'Fee', type: 'LabelFee', amount: '0.01000', charged: true, refunded: false },
        { object: 'Fee', type: 'PostageFee', amount: parcel.rate.toFixed(5), charged: true, refunded: false },
        ...parcel.fees.map((fee) => ({ object: 'Fee' as const, type: fee.type, amount: fee.amount.toFixed(5), charged: true, refunded: false })),
      ],
      tracking_code: parcel.tracking_code,
      tracker: {
        id: parcel.tracker_id,
        object: 'Tracker',
        tracking_code: parcel.tracking_code,
        status: parcel.status,
        status_detail: parcel.status_detail,
        est_delivery_date: estDelivery,
        carrier: parcel.carrier,
        shipment_id: parcel.id,
        updated_at: lastScan,
        tracking_details: [
          { object: 'TrackingDetail', datetime: createdAt, message: 'Pre-Shipment Info Sent to USPS', status: 'pre_transit', status_detail: 'label_created' },
          ...(lastScan === createdAt
            ? []
            : [
                {
                  object: 'TrackingDetail' as const,
                  datetime: lastScan,
                  message: parcel.status_detail ?? parcel.status,
                  status: parcel.status,
                  status_detail: parcel.status_detail,
                },
              ]),
        ],
      },
    };
  });
}
