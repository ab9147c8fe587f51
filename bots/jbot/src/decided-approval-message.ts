import { getApproval, type Approval, type Db } from '@jbot/core';
import { renderMessage, type MessageBody, type MessageItem, type TelegramButton } from '@jbot/channels';
import { parseApprovalCallback } from './offer-approval.js';

interface SentMessage {
  [column: string]: unknown;
  body: Partial<MessageBody> | null;
}

/**
 * The text and buttons of a Telegram approval message once `approval` is decided. A single line
 * becomes "<bot> asked: <title>" plus the verdict, without buttons. A batched message (several
 * numbered lines, from the dispatcher's pacing) keeps every line and the buttons of approvals
 * still pending; each decided approval's line says who decided — read from the brain, so a later
 * edit never brings back buttons an earlier decision removed.
 */
export async function renderDecidedMessage(
  db: Db,
  input: { chatId: string; messageId: number; approval: Approval; decidedHere: string | null },
): Promise<{ text: string; buttons: TelegramButton[][] }> {
  const { approval, decidedHere } = input;
  const [sent] = await db.rpc<SentMessage>('resolve_telegram_reply', { p_chat_id: input.chatId, p_external_message_id: String(input.messageId) });
  const body = sent?.body ?? null;
  const items: MessageItem[] = Array.isArray(body?.items) ? body.items : [];
  if (body === null || items.length <= 1 || !Array.isArray(body.parts)) {
    return { text: `${approval.bot} asked: ${approval.title}\n${verdict(approval, decidedHere)}`, buttons: [] };
  }
  const current = new Map<string, Approval>([[approval.id, approval]]);
  for (const item of items) {
    if (item.approval_id === null || current.has(item.approval_id)) continue;
    const found = await getApproval(db, item.approval_id);
    if (found !== null) current.set(found.id, found);
  }
  const rendered = items.map((item) => {
    const state = item.approval_id === null ? undefined : current.get(item.approval_id);
    if (state === undefined || state.status === 'pending') return item;
    // A decided item keeps its headline only: the draft below it no longer waits for anyone.
    return { ...item, line: `${item.line.split('\n')[0] ?? ''} — ${verdict(state, state.id === approval.id ? decidedHere : null)}` };
  });
  // A row of buttons stays only while every approval it decides is still pending.
  const buttons = (body.buttons ?? []).filter((row) =>
    row.every((button) => {
      const parsed = parseApprovalCallback(button.callback_data);
      return parsed === null || current.get(parsed.approvalId)?.status === 'pending';
    }),
  );
  return { text: renderMessage({ kind: body.kind ?? 'batch', parts: body.parts, items: rendered }), buttons };
}

/** What happened to an approval, as one phrase: "✅ Approved by @dana — done". */
export function verdict(approval: Approval, decidedHere: string | null): string {
  const who = decidedHere ?? describeDecider(approval);
  switch (approval.status) {
    case 'pending':
      return 'waiting for a decision';
    case 'rejected':
      return `✖️ Rejected by ${who} — nothing will be done`;
    case 'expired':
      return '⌛ Expired undecided — nothing was done';
    case 'executed':
      return `✅ Approved by ${who} — done`;
    case 'failed':
      return `✅ Approved by ${who} — ⚠️ it failed: ${approval.error ?? 'see the work floor'}`;
    default:
      return `✅ Approved by ${who} — ${approval.bot} is running it`;
  }
}

/** The notice for a tap that changed nothing: "Already approved by @dana via Telegram". */
export function alreadyDecidedNotice(approval: Approval): string {
  const who = describeDecider(approval);
  switch (approval.status) {
    case 'pending':
      return 'Still pending: try again';
    case 'rejected':
      return `Already rejected by ${who}`;
    case 'expired':
      return 'Expired undecided: nothing was done';
    default:
      return `Already approved by ${who}`;
  }
}

// decided_by as people read it: `telegram:1001 (@dana)` → "@dana via Telegram", `ana` (fleet approve) → "ana via fleet approve".
function describeDecider(approval: Approval): string {
  const by = approval.decidedBy ?? 'someone';
  const named = /^\w+:\S+ \((.+)\)$/.exec(by)?.[1];
  const who = named ?? (/^(telegram|discord):/.test(by) ? by.slice(by.indexOf(':') + 1) : by);
  const via =
    approval.decidedVia === 'telegram' ? 'Telegram' : approval.decidedVia === 'discord' ? 'Discord' : approval.decidedVia === 'local' ? 'fleet approve' : null;
  return via === null ? who : `${who} via ${via}`;
}
