import type { SocialInboxItem } from '@jbot/connectors';

/** What a comment or DM is about, and what socialbot does with it. */
export type InboxCategory = 'spam' | 'order' | 'question' | 'praise' | 'complaint' | 'other';

// Rules first (catalogue): spam patterns, order problems, product questions by keyword; a
// complaint lexicon marks the negatives a spike counts. Only what these leave open goes to the model.
const SPAM = /\b(follow for follow|f4f|dm me|make \$\d+|free followers|cheap[- ]likes|crypto|giveaway|click the link|link in my bio)\b/i;
const ORDER = /(#\d{5,}|where is my order|where'?s my order|still waiting on (my )?order|arrived (damaged|broken)|package arrived broken|order #)/i;
const QUESTION = /(\?\s*$|\b(burn time|vegan|gluten|ship to|refills?|safe for|wholesale|caffeinated|discount code|in stock|what time do you ship)\b)/i;
const PRAISE = /\b(love|loved|obsessed|best|favou?rite|gorgeous|go-to|cozy|thank you)\b|😍/i;
const NEGATIVE =
  /\b(disappointed|not worth|terrible|awful|smells? like burnt|wax smell|headache|returned mine|overpowering|something changed|weird|broken|damaged|refund)\b/i;

// The complaint a pile-on shares, by the first of these its comments mention most.
const THEMES = ['wax smell', 'burnt', 'headache', 'broken', 'damaged', 'late', 'price'];

/** The rules' verdict: a category and whether it counts as negative; null category = the model decides. */
export function classifyByRules(item: Pick<SocialInboxItem, 'text'>): { category: InboxCategory | null; negative: boolean } {
  const text = item.text;
  const negative = NEGATIVE.test(text);
  if (SPAM.test(text)) return { category: 'spam', negative: false };
  if (ORDER.test(text)) return { category: 'order', negative: true };
  if (negative) return { category: 'complaint', negative: true };
  if (QUESTION.test(text)) return { category: 'question', negative: false };
  if (PRAISE.test(text)) return { category: 'praise', negative: false };
  return { category: null, negative: false };
}

/** The order number a comment names ("order #48219" → "#48219", the store's order name). */
export function orderNumberIn(text: string): string | null {
  const digits = text.match(/#(\d{5,})/)?.[1];
  return digits === undefined ? null : `#${digits}`;
}

/** The shared complaint of a set of comments, when one theme is in most of them. */
export function themeOf(texts: readonly string[]): string | undefined {
  let best: { theme: string; count: number } | undefined;
  for (const theme of THEMES) {
    const count = texts.filter((text) => text.toLowerCase().includes(theme)).length;
    if (count > (best?.count ?? 0)) best = { theme, count };
  }
  return best !== undefined && best.count * 2 >= texts.length ? best.theme : undefined;
}

// Answers to the product questions the rules recognise (the company's FAQ).
const ANSWERS: ReadonlyArray<[RegExp, string]> = [
  [/burn time/i, 'Our 8 oz candles burn about 50 hours and the 14 oz about 60. Trim the wick to ¼" before each burn.'],
  [/vegan/i, 'Yes — our candles are soy wax and cotton wicks, and our skincare is vegan and cruelty-free.'],
  [/gluten/i, 'Our granolas are made with certified gluten-free oats in a facility that also handles nuts.'],
  [/ship to|canada/i, 'We ship to the US and Canada; international orders show their rates at checkout.'],
  [/refills?/i, 'Refills are on our site under "Refills" — they use the same vessel you already have.'],
  [/sensitive skin|safe for/i, 'Tidepool is fragrance-free and made for sensitive skin; patch-test first if you react easily.'],
  [/wholesale|café|cafes|cafés/i, 'We love working with shops and cafés — please email wholesale@harborandpine.example and our team will reply.'],
  [/caffeinated/i, 'Yes, the cold brew packs are fully caffeinated (about 120 mg a cup).'],
  [/discount code/i, 'Sign up for our newsletter for 10% off your first order.'],
  [/in stock|back in stock/i, 'It is coming back soon — tap "Notify me" on the product page and we will email you the day it lands.'],
  [/what time do you ship/i, 'Orders placed before noon Pacific ship the same day, Monday to Friday.'],
];

/** The FAQ answer to a product question, when the rules know it. */
export function faqAnswer(text: string): string | null {
  return ANSWERS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
