import type { Db } from '@jbot/core';
import { day, instant, jsonArray } from '../sample/row-values.js';
import type { Container, ContainerConnector, ContainerStatus } from './container-connector.js';

/** Containers over the sample company's terminal table; a requested pickup becomes the appointment. */
export function createSampleContainerConnector(db: Db): ContainerConnector {
  return {
    source: 'sample',
    async listContainers() {
      const rows = await db.rpc('sample_containers_list');
      return rows.map((row): Container => ({
        number: String(row['container']),
        shipmentId: String(row['shipment_id']),
        supplierId: row['supplier_id'] === null ? null : String(row['supplier_id']),
        poIds: jsonArray<string>(row['po_ids']).map(String),
        terminal: String(row['terminal']),
        port: String(row['port']),
        status: String(row['status']) as ContainerStatus,
        dischargedAt: instant(row['discharged_at']),
        lastFreeDay: row['last_free_day'] === null ? null : day(row['last_free_day']),
        holds: jsonArray<string>(row['holds']).map(String),
        appointmentAt: instant(row['appointment_at']),
        trucker: String(row['trucker']),
      }));
    },
    async recordPickupRequest(request) {
      const [row] = await db.rpc('sample_containers_book_drayage', {
        p_idempotency_key: request.idempotencyKey,
        p_container: request.container,
        p_appointment_at: request.appointmentAt,
        p_trucker: request.trucker,
      });
      return { recorded: row?.['created'] === true };
    },
  };
}
