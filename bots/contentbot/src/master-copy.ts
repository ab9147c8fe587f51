import type { Db } from '@jbot/core';

/** Our approved copy for one ASIN (brain table content_master). */
export interface MasterCopy {
  sku: string;
  asin: string;
  title: string;
  bullets: string[];
  brand: string;
  mainImage: string;
  price: number;
  mapPrice: number;
}

/** The approved master copy, by SKU. */
export async function readMasterCopy(db: Db): Promise<Map<string, MasterCopy>> {
  const rows = await db.rpc('content_master_list');
  return new Map(
    rows.map((row) => {
      const bullets: unknown = typeof row['bullets'] === 'string' ? JSON.parse(row['bullets']) : row['bullets'];
      return [
        String(row['sku']),
        {
          sku: String(row['sku']),
          asin: String(row['asin']),
          title: String(row['title']),
          bullets: Array.isArray(bullets) ? bullets.map(String) : [],
          brand: String(row['brand']),
          mainImage: String(row['main_image']),
          price: Number(row['price']),
          mapPrice: Number(row['map_price']),
        },
      ];
    }),
  );
}
