import type { BrandGuideline, CreativeAd } from '@jbot/connectors';

/** A claims rule the copy broke. */
export interface ClaimHit {
  rule: string;
  /** The words that broke it, as written in the copy. */
  excerpt: string;
}

// Claims no ad of ours may make, whatever the brand holds.
const FORBIDDEN: ReadonlyArray<{ rule: string; pattern: RegExp }> = [
  { rule: 'medical claim: "cures"', pattern: /\bcures?\b[^.!?]*/i },
  { rule: 'medical claim: "treats acne"', pattern: /\btreats?\s+acne\b[^.!?]*/i },
  { rule: 'regulatory claim: "FDA approved"', pattern: /\bFDA[-\s]approved\b/i },
];

// Claims allowed only with a substantiation file or certificate on record (brand guidelines).
const NEEDS_SUBSTANTIATION: ReadonlyArray<{ claim: string; pattern: RegExp; brands?: readonly string[] }> = [
  { claim: 'clinically proven', pattern: /\bclinically[-\s]proven\b/i },
  { claim: 'organic', pattern: /\borganic\b/i },
  // "healthy" is a regulated nutrient-content claim on food (our granola).
  { claim: 'healthy', pattern: /\bhealthy\b/i, brands: ['KC'] },
];

/** Efficacy or comparative language the lexicon cannot settle: the model reads these. */
export const UNSETTLED_PATTERN =
  /\b(clears?|heals?|eliminates?|erases?|reverses?|prevents?|repairs?|fixes|better than|#1|number one|guaranteed?|in \d+ days)\b/i;

/** The lexicon's verdict on one ad's copy: the hard rules it breaks. */
export function lexiconHits(ad: CreativeAd, guideline: BrandGuideline | undefined, livePrice: number | undefined): ClaimHit[] {
  const copy = [ad.title, ad.body, ad.description].filter((part): part is string => part !== null && part !== '').join(' — ');
  const hits: ClaimHit[] = [];
  for (const rule of FORBIDDEN) {
    const match = copy.match(rule.pattern);
    if (match !== null) hits.push({ rule: rule.rule, excerpt: match[0].trim() });
  }
  for (const rule of NEEDS_SUBSTANTIATION) {
    if (rule.brands !== undefined && !rule.brands.includes(ad.brand ?? '')) continue;
    if (guideline?.substantiated.includes(rule.claim) === true) continue;
    const match = copy.match(rule.pattern);
    if (match !== null) hits.push({ rule: `"${rule.claim}" without a substantiation file`, excerpt: match[0] });
  }
  if (livePrice !== undefined) {
    for (const match of copy.matchAll(/\$(\d+(?:\.\d{1,2})?)/g)) {
      const quoted = Number(match[1]);
      // "free shipping over $50" is a threshold, not the product's price.
      const before = copy.slice(Math.max(0, (match.index ?? 0) - 12), match.index ?? 0);
      if (/\b(over|above|orders?)\s*$/i.test(before)) continue;
      if (Math.abs(quoted - livePrice) >= 0.01) hits.push({ rule: `price in copy $${quoted} ≠ live price $${livePrice}`, excerpt: match[0] });
    }
  }
  if (ad.creator !== null && !ad.paidPartnershipLabel) hits.push({ rule: 'creator ad without the paid-partnership label', excerpt: `@${ad.creator}` });
  return hits;
}

/** The copy the lexicon left open (efficacy or comparative language it did not already flag). */
export function unsettledExcerpt(ad: CreativeAd): string | null {
  const copy = [ad.title, ad.body].filter((part): part is string => part !== null).join(' — ');
  const sentence = copy.split(/(?<=[.!?])\s+/).find((part) => UNSETTLED_PATTERN.test(part));
  return sentence?.trim() ?? null;
}

/** A compliant version of the copy: sentences with flagged words dropped, prices set to the live price. */
export function compliantCopy(body: string, hits: readonly ClaimHit[], livePrice: number | undefined): string {
  let text = body;
  if (livePrice !== undefined)
    text = text.replace(/\$(\d+(?:\.\d{1,2})?)/g, (whole, amount: string, offset: number) => {
      const before = text.slice(Math.max(0, offset - 12), offset);
      return /\b(over|above|orders?)\s*$/i.test(before) || Number(amount) === livePrice ? whole : `$${livePrice}`;
    });
  const flagged = hits.filter((hit) => !hit.rule.startsWith('price') && !hit.rule.startsWith('creator')).map((hit) => hit.excerpt.toLowerCase());
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => !flagged.some((excerpt) => sentence.toLowerCase().includes(excerpt)));
  return sentences.join(' ').trim();
}
