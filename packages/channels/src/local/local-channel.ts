import { createLocalRecordingChannel, messageText, printableText, type Channel, type ChannelMessage, type Db, type Logger } from '@jbot/core';

/** What the local channel needs. */
export interface LocalChannelOptions {
  db: Db;
  bot: string;
  /** The channel's name as people read it (#sales-bot). */
  target: string;
  log: Logger;
  /** Where messages are printed; default stdout. */
  output?: { write(text: string): unknown };
}

/**
 * The console channel for running without Discord: every message is stored in channel_messages
 * (channel `local`) and printed as a readable block. Approvals print the commands that decide
 * them (`pnpm fleet approve <id>`), since there are no buttons to click.
 */
export function createLocalChannel(options: LocalChannelOptions): Channel {
  const output = options.output ?? process.stdout;
  return createLocalRecordingChannel({
    db: options.db,
    bot: options.bot,
    target: options.target,
    log: options.log,
    show: ({ edited, bot, target, message }) => output.write(formatLocalMessage({ edited, bot, target, message })),
  });
}

/**
 * A message as the console shows it. An edit (an approval moving on: approved, running, done) is
 * one status line, not the whole message again: the console is a log, the full text is above.
 * Control characters from outside data (a deal name's `ESC]0;…`) are replaced.
 */
export function formatLocalMessage(event: { edited: boolean; bot: string; target: string; message: ChannelMessage }): string {
  const { message } = event;
  if (event.edited) {
    const status = message.fields?.find((field) => field.name === 'Status')?.value;
    const id = message.approvalId === undefined ? '' : ` ${message.approvalId.slice(0, 8)}`;
    return `${printableText(`── ${event.target} · ${event.bot} · ${message.approvalId === undefined ? 'updated' : `approval${id}`}: ${message.title}${status === undefined ? '' : ` — ${status}`}`)}\n`;
  }
  const header = `── ${event.target} · ${event.bot} `;
  const lines = [header.padEnd(72, '─'), messageText(message)];
  if (message.buttons !== undefined && message.buttons.length > 0 && message.approvalId !== undefined) {
    const id = message.approvalId.slice(0, 8);
    lines.push(`   → pnpm fleet approve ${id}    |    pnpm fleet reject ${id}`);
  }
  return `${printableText(lines.join('\n'))}\n`;
}
