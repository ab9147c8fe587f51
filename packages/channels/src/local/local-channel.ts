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

/** A message as the console shows it; control characters from outside data (a deal name's `ESC]0;…`) are replaced. */
export function formatLocalMessage(event: { edited: boolean; bot: string; target: string; message: ChannelMessage }): string {
  const { message } = event;
  const header = `── ${event.target} · ${event.bot}${event.edited ? ' · edited' : ''} `;
  const lines = [header.padEnd(72, '─'), messageText(message)];
  if (message.buttons !== undefined && message.buttons.length > 0 && message.approvalId !== undefined) {
    lines.push(`   → pnpm fleet approve ${message.approvalId}    |    pnpm fleet reject ${message.approvalId}`);
  }
  return `${printableText(lines.join('\n'))}\n`;
}
