import { createHash } from 'node:crypto';
import type { SendMailInput } from './mail-connector.js';

// A MIME message as Gmail's users.messages.send takes it (`raw`, base64url). Plain text, UTF-8,
// attachments base64; the Message-ID is derived from the idempotency key, so after an uncertain
// send the message can be found again by `rfc822msgid:`.

/** The Message-ID a send under this key carries. */
export function messageIdFor(idempotencyKey: string, domain = 'jbot.fleet'): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

function encodeHeader(value: string): string {
  // Header injection: a CR or LF in a subject or address would start a new header.
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? ''
  );
}

/** The message, RFC 822 text (CRLF line ends). */
export function rfc822Message(input: SendMailInput, from: string | null): string {
  const boundary = `jbot-${createHash('sha256').update(`${input.idempotencyKey}:boundary`).digest('hex').slice(0, 24)}`;
  const headers = [
    ...(from === null ? [] : [`From: ${encodeHeader(from)}`]),
    `To: ${input.to.map(encodeHeader).join(', ')}`,
    `Subject: ${encodeHeader(input.subject)}`,
    `Message-ID: ${messageIdFor(input.idempotencyKey)}`,
    'MIME-Version: 1.0',
  ];
  const textPart = ['Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: base64', '', base64Lines(input.body)];
  if ((input.attachments ?? []).length === 0) return [...headers, ...textPart].join('\r\n');
  const parts = [
    [`--${boundary}`, ...textPart],
    ...(input.attachments ?? []).map((attachment) => [
      `--${boundary}`,
      `Content-Type: ${attachment.mimeType}; name="${attachment.filename.replace(/["\r\n]/g, '')}"`,
      `Content-Disposition: attachment; filename="${attachment.filename.replace(/["\r\n]/g, '')}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(attachment.content),
    ]),
  ];
  return [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts.flat(), `--${boundary}--`, ''].join('\r\n');
}

/** base64url of the message, for `raw`. */
export function rawMessage(message: string): string {
  return Buffer.from(message, 'utf8').toString('base64url');
}
