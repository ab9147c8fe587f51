/** One block of an email: a heading and a paragraph. */
export interface EmailBlock {
  heading: string;
  body: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A draft email's HTML: the blocks as escaped text (model output is never trusted as markup),
 * one call to action to the store with UTM tags, a personalised greeting with a default, and
 * Klaviyo's unsubscribe tag — so the draft passes klaviyo-send-guard's checks once scheduled.
 */
export function renderEmailHtml(input: { greeting: string; blocks: readonly EmailBlock[]; ctaLabel: string; ctaUrl: string }): string {
  return [
    '<html><body>',
    `<p>${escape(input.greeting)} {{ first_name|default:'there' }},</p>`,
    ...input.blocks.map((block) => `<h2>${escape(block.heading)}</h2><p>${escape(block.body)}</p>`),
    `<p><a href="${escape(input.ctaUrl)}">${escape(input.ctaLabel)}</a></p>`,
    `<p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>`,
    '</body></html>',
  ].join('\n');
}

/** A store link with the campaign's UTM tags. */
export function utmLink(base: string, path: string, campaign: string): string {
  const url = new URL(path, base);
  url.searchParams.set('utm_source', 'klaviyo');
  url.searchParams.set('utm_medium', 'email');
  url.searchParams.set('utm_campaign', campaign);
  return url.toString();
}
