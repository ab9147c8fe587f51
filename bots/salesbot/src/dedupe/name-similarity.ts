// Postgres pg_trgm's similarity(), in TypeScript so the rule reads the same on any CRM: each word
// is lower-cased and padded ("  word "), its three-letter windows form a set, and similarity is
// shared trigrams over all trigrams.
function trigrams(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part !== '')) {
    const padded = `  ${word} `;
    for (let index = 0; index + 3 <= padded.length; index += 1) set.add(padded.slice(index, index + 3));
  }
  return set;
}

/** pg_trgm-style trigram similarity of two names, 0…1 (1 = the same words). */
export function nameSimilarity(left: string, right: string): number {
  const a = trigrams(left);
  const b = trigrams(right);
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const trigram of a) if (b.has(trigram)) shared += 1;
  return shared / (a.size + b.size - shared);
}
