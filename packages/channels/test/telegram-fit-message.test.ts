import { describe, expect, it } from 'vitest';
import { CLIP_NOTE, clipText, composeBody, groupToFit, renderMessage, TELEGRAM_MAX_TEXT, toTelegramSendError } from '@jbot/channels';

const row = (id: number, text: string) => ({
  outbox_id: id,
  bot: 'opsbot',
  text,
  body: { kind: 'escalation' },
  signal_id: null,
  approval_id: null,
  repeat_count: 1,
  severity: 'alert',
});

describe('fitting Telegram messages into 4,096 characters', () => {
  it('clips a long line with a note, never splitting an emoji', () => {
    expect(clipText('short')).toBe('short');
    const clipped = clipText('x'.repeat(5000), 100);
    expect(clipped).toHaveLength(100);
    expect(clipped.endsWith(CLIP_NOTE)).toBe(true);
    const cut = 100 - CLIP_NOTE.length;
    const emoji = clipText(`${'a'.repeat(cut - 1)}🔴${'b'.repeat(200)}`, 100);
    expect(emoji).toBe(`${'a'.repeat(cut - 1)}${CLIP_NOTE}`);
  });

  it('a batch is split so every message fits, in order; each line is clipped inside composeBody', () => {
    const rows = [row(1, 'y'.repeat(5000)), row(2, 'short one'), row(3, 'z'.repeat(3000)), row(4, 'another')];
    const groups = groupToFit(rows, (group) => renderMessage(composeBody(group)));
    expect(groups.map((group) => group.map((item) => item.outbox_id))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    for (const group of groups) expect(renderMessage(composeBody(group)).length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
  });

  it('classifies Bot API failures: 429 waits retry_after, other 4xx are refusals, 5xx and network errors are outages', () => {
    expect(toTelegramSendError({ error_code: 429, description: 'Too Many Requests: retry after 120', parameters: { retry_after: 120 } })).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(toTelegramSendError({ error_code: 400, description: 'Bad Request: message is too long' })).toMatchObject({
      kind: 'rejected',
      status: 400,
      retryAfterMs: null,
    });
    expect(toTelegramSendError({ error_code: 502, description: 'Bad Gateway' })).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(toTelegramSendError(new Error('socket hang up'))).toMatchObject({ kind: 'unavailable', status: null, name: 'TelegramSendError' });
  });
});
