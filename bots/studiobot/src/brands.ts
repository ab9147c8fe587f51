// The sample company's four brands as studiobot sees them: the Instagram account each creator
// tags, and the words that say a creator's audience fits it (bio and captions).

/** One brand: id, name, its Instagram handle, and the topics that fit it. */
export interface Brand {
  id: string;
  name: string;
  handle: string;
  keywords: readonly string[];
}

/** Harbor & Pine's brands. */
export const BRANDS: readonly Brand[] = [
  { id: 'KC', name: 'Kettle & Crumb', handle: 'kettleandcrumb', keywords: ['granola', 'breakfast', 'snack', 'oats', 'brunch', 'pantry'] },
  { id: 'SM', name: 'Saltmarsh Apothecary', handle: 'saltmarshapothecary', keywords: ['skincare', 'skin', 'serum', 'glow', 'selfcare', 'routine', 'spa'] },
  { id: 'DW', name: 'Driftwood Candle Co.', handle: 'driftwoodcandleco', keywords: ['candle', 'cozy', 'hygge', 'interiors', 'reading nook', 'wick'] },
  {
    id: 'TH',
    name: 'Trailhead Coffee Roasters',
    handle: 'trailheadcoffee',
    keywords: ['coffee', 'espresso', 'pour over', 'brew', 'latte', 'camping', 'morning ritual'],
  },
];

/** A brand by id (throws on an unknown id: the data is ours). */
export function brandOf(id: string): Brand {
  const brand = BRANDS.find((candidate) => candidate.id === id);
  if (brand === undefined) throw new Error(`unknown brand "${id}"`);
  return brand;
}

/** The brand whose topics appear most in the text; null when none does. */
export function bestBrandFor(text: string): Brand | null {
  const lower = text.toLowerCase();
  let best: { brand: Brand; hits: number } | null = null;
  for (const brand of BRANDS) {
    const hits = brand.keywords.reduce((sum, keyword) => sum + (lower.split(keyword).length - 1), 0);
    if (hits > 0 && (best === null || hits > best.hits)) best = { brand, hits };
  }
  return best?.brand ?? null;
}

/** The brand an ad belongs to from our naming convention ("DW | Prospecting | Coastal Fog"). */
export function brandFromAdName(name: string | undefined): string | null {
  const prefix = name?.split('|')[0]?.trim().toUpperCase();
  return prefix !== undefined && BRANDS.some((brand) => brand.id === prefix) ? prefix : null;
}
