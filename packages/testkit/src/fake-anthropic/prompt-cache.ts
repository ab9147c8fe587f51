/** Roughly four characters a token, like the real tokenizer on English text and JSON. */
export function tokensOf(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}

/** The smallest prefix the API caches for a model (shorter prefixes are processed uncached). */
export function minimumCacheableTokens(model: string): number {
  if (/haiku-4|opus-4-5/.test(model)) return 4096;
  if (/haiku/.test(model)) return 2048;
  return 1024;
}

/** How a request's input tokens split between cache reads, cache writes and plain input. */
export interface CacheOutcome {
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

/**
 * The prompt cache as the Messages API documents it: the prompt is read in the order tools →
 * system → messages; a block with `cache_control` ends a cacheable prefix. The longest prefix
 * ending at a breakpoint that is byte-identical to one cached less than `ttlMs` ago is read
 * from the cache (and its lifetime refreshed); the rest up to the last breakpoint is written,
 * if it reaches the model's minimum length; everything after it is plain input.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  apply(model: string, body: { tools?: unknown[]; system?: unknown; messages?: unknown[] }): CacheOutcome {
    const blocks = promptBlocks(body);
    const total = blocks.reduce<number>((sum, block) => sum + tokensOf(block), 0);
    const breakpoints: number[] = [];
    blocks.forEach((block, index) => {
      if (typeof block === 'object' && block !== null && 'cache_control' in block) breakpoints.push(index);
    });
    if (breakpoints.length === 0) return { inputTokens: total, cacheWriteTokens: 0, cacheReadTokens: 0 };
    const at = this.now();
    const prefixKey = (end: number) => `${model}\u0000${JSON.stringify(blocks.slice(0, end + 1))}`;
    const prefixTokens = (end: number) => blocks.slice(0, end + 1).reduce<number>((sum, block) => sum + tokensOf(block), 0);
    let readTokens = 0;
    for (const end of [...breakpoints].reverse()) {
      const key = prefixKey(end);
      const cachedAt = this.entries.get(key);
      if (cachedAt !== undefined && at - cachedAt < this.ttlMs) {
        readTokens = prefixTokens(end);
        this.entries.set(key, at);
        break;
      }
    }
    const last = breakpoints[breakpoints.length - 1] ?? 0;
    const cacheable = prefixTokens(last);
    let writeTokens = 0;
    if (cacheable > readTokens && cacheable >= minimumCacheableTokens(model)) {
      writeTokens = cacheable - readTokens;
      for (const end of breakpoints) if (prefixTokens(end) >= minimumCacheableTokens(model)) this.entries.set(prefixKey(end), at);
    }
    return { inputTokens: total - readTokens - writeTokens, cacheWriteTokens: writeTokens, cacheReadTokens: readTokens };
  }
}

// Tools, then system blocks, then each message's content blocks: the API's prompt order.
function promptBlocks(body: { tools?: unknown[]; system?: unknown; messages?: unknown[] }): unknown[] {
  const blocks: unknown[] = [...(body.tools ?? [])];
  if (typeof body.system === 'string') blocks.push({ type: 'text', text: body.system });
  else if (Array.isArray(body.system)) blocks.push(...body.system);
  for (const message of body.messages ?? []) {
    const { role, content } = message as { role: string; content: unknown };
    if (typeof content === 'string') blocks.push({ role, type: 'text', text: content });
    else if (Array.isArray(content)) blocks.push(...content.map((block) => ({ role, ...(block as object) })));
  }
  return blocks;
}
