import { describe, expect, it } from 'vitest';
import { formatLocalMessage } from '../src/index.js';

// The console channel (no Discord token): a post is a block, an edit is one status line.
describe('the local console channel', () => {
  const approvalId = 'ebc46e11-d584-4992-ac0c-da50c9a4cea7';
  const message = {
    kind: 'approval',
    title: 'Approval needed · Send 2 follow-up emails',
    text: 'Drafted from templates.\n1. to: rosa@example.com',
    approvalId,
    buttons: [{ id: 'approve', label: 'Approve', style: 'success' as const }],
    fields: [{ name: 'Status', value: 'Waiting for a decision · expires 2026-12-02 09:08:11 UTC', inline: false }],
  };

  it('prints a new approval in full with the short-id commands that decide it', () => {
    const block = formatLocalMessage({ edited: false, bot: 'salesbot', target: '#sales-bot', message });
    expect(block).toMatch(/^── #sales-bot · salesbot ─+\n/);
    expect(block).toContain('1. to: rosa@example.com');
    expect(block).toContain('→ pnpm fleet approve ebc46e11    |    pnpm fleet reject ebc46e11\n');
    expect(block).not.toContain(approvalId);
  });

  it('prints an edit as one status line, not the whole message again', () => {
    const edited = {
      ...message,
      title: 'Done · Send 2 follow-up emails',
      buttons: [],
      fields: [{ name: 'Status', value: 'Approved by cli:ana at 2026-12-01 09:08:22 UTC · done: sent 2 emails', inline: false }],
    };
    expect(formatLocalMessage({ edited: true, bot: 'salesbot', target: '#sales-bot', message: edited })).toBe(
      '── #sales-bot · salesbot · approval ebc46e11: Done · Send 2 follow-up emails — Approved by cli:ana at 2026-12-01 09:08:22 UTC · done: sent 2 emails\n',
    );
  });
});
