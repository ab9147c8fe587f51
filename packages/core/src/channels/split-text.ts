/**
 * Split text into chunks of at most `limit` characters, preferring paragraph, then line, then
 * word boundaries, so a long draft stays readable across several embeds or messages.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new Error(`splitText limit must be positive, got ${limit}`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < limit / 2) cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2 || cut > limit) cut = limit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest !== '' || chunks.length === 0) chunks.push(rest);
  return chunks;
}
