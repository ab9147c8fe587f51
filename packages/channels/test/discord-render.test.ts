import { describe, expect, it } from 'vitest';
import * as discord from 'discord.js';
import { approvalMessage, splitText, type Approval } from '@jbot/core';
import { DISCORD_LIMITS, parseApprovalCustomId, renderDiscordMessages } from '../src/index.js';

const approval: Approval = {
  id: '6f1c2a8e-1b2c-4d3e-8f90-0a1b2c3d4e5f',
  bot: 'salesbot',
  action: 'send_followups',
  title: 'Send 2 follow-ups',
  draft: { to: 'buyer@cedar.example', body: 'Hi,\nchecking in on the spring order.' },
  signalId: null,
  status: 'pending',
  requestedAt: '2026-11-25T08:30:00.000Z',
  expiresAt: '2026-11-26T08:30:00.000Z',
  decidedBy: null,
  decidedVia: null,
  decidedAt: null,
  idempotencyKey: 'approval:6f1c2a8e-1b2c-4d3e-8f90-0a1b2c3d4e5f',
  attempts: 0,
  executedAt: null,
  result: null,
  error: null,
  retryAt: null,
  renderedStatus: null,
};

const embedSize = (embed: Record<string, unknown>) =>
  String(embed['title'] ?? '').length +
  String(embed['description'] ?? '').length +
  String((embed['footer'] as { text?: string } | undefined)?.text ?? '').length +
  ((embed['fields'] as Array<{ name: string; value: string }> | undefined) ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);

// Pure rendering with the real discord.js builders: what we send always fits Discord's limits.
describe('Discord rendering', () => {
  it('an approval renders its draft, a status field and two buttons whose ids round-trip', () => {
    const [body] = renderDiscordMessages(discord, approvalMessage(approval), 'salesbot');
    const embed = body?.embeds[0] as Record<string, unknown>;
    expect(embed['title']).toBe('Approval needed · Send 2 follow-ups');
    expect(String(embed['description'])).toContain('checking in on the spring order.');
    const row = body?.components[0] as { components: Array<{ custom_id: string; label: string; style: number }> };
    expect(row.components.map((button) => [button.label, button.style])).toEqual([
      ['Approve', discord.ButtonStyle.Success],
      ['Reject', discord.ButtonStyle.Danger],
    ]);
    expect(parseApprovalCustomId(row.components[0]!.custom_id)).toEqual({ bot: 'salesbot', approvalId: approval.id, decision: 'approved' });
    expect(parseApprovalCustomId(row.components[1]!.custom_id)).toEqual({ bot: 'salesbot', approvalId: approval.id, decision: 'rejected' });
    expect(parseApprovalCustomId('something-else')).toBeNull();
  });

  it('a decided approval has no buttons', () => {
    const [body] = renderDiscordMessages(
      discord,
      approvalMessage({ ...approval, status: 'rejected', decidedBy: 'discord:1 (ana)', decidedAt: '2026-11-25T09:00:00.000Z' }),
      'salesbot',
    );
    expect(body?.components).toEqual([]);
  });

  it('huge text, 40 long fields: every message within 10 embeds and 6000 characters, nothing over a field limit', () => {
    const text = Array.from({ length: 30 }, (_, index) => `Paragraph ${index}: ${'lorem ipsum dolor sit amet '.repeat(60)}`).join('\n\n');
    const fields = Array.from({ length: 40 }, (_, index) => ({ name: `Deal ${index}`, value: 'x'.repeat(2000) }));
    const bodies = renderDiscordMessages(discord, { title: 'Pipeline', text, fields, footer: 'salesbot' }, 'salesbot');
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      expect(body.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      expect((body.embeds as Array<Record<string, unknown>>).reduce((sum, embed) => sum + embedSize(embed), 0)).toBeLessThanOrEqual(
        DISCORD_LIMITS.charactersPerMessage,
      );
    }
    const firstFields = (bodies[0]?.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    expect(firstFields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const field of firstFields) expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(firstFields.at(-1)?.name).toBe('More');
    // Nothing of the text is lost across the parts.
    const descriptions = bodies
      .flatMap((body) => body.embeds as Array<{ description?: string }>)
      .map((embed) => embed.description ?? '')
      .join(' ');
    expect(descriptions).toContain('Paragraph 0:');
    expect(descriptions).toContain('Paragraph 29:');
  });

  it('splitText prefers paragraph and line boundaries and never exceeds the limit', () => {
    const chunks = splitText('first paragraph is here ok\n\nsecond paragraph that is longer\nwith a second line', 40);
    expect(chunks[0]).toBe('first paragraph is here ok');
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(40);
    expect(splitText('x'.repeat(95), 40).map((chunk) => chunk.length)).toEqual([40, 40, 15]);
  });
});
