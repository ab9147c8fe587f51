import type postgres from 'postgres';
import { z } from 'zod';
import { defineAction, defineBot, type BotDefinition } from '@jbot/core';
import { waitFor, type TelegramEmulator } from '@jbot/testkit';

/** The notice Telegram showed on a tap (answerCallbackQuery), if the bot answered it. */
export function answerTo(emulator: TelegramEmulator, callbackQueryId: string): string | undefined {
  return emulator.callbackAnswers().find((answer) => answer.callbackQueryId === callbackQueryId)?.text ?? undefined;
}

/** The dispatcher records a message just after Telegram accepted it, and a tap is checked against that record: wait for it. */
export async function recorded<Message extends { messageId: number }>(sql: postgres.Sql, message: Message): Promise<Message> {
  await waitFor(
    async () => (await sql`select 1 from channel_messages where channel = 'telegram' and external_message_id = ${String(message.messageId)}`).length > 0,
    {
      what: `message ${message.messageId} recorded`,
    },
  );
  return message;
}

/** A salesbot whose `send_followups` only counts its executions (the tests are about deciding, not sending). */
export function countingSalesbot(onExecute: () => void, summary = 'sent'): BotDefinition {
  return defineBot({
    name: 'salesbot',
    purpose: 'test salesbot',
    channel: '#sales-bot',
    actions: [
      defineAction({
        name: 'send_followups',
        draft: z.unknown(),
        execute: () => {
          onExecute();
          return { summary };
        },
      }),
    ],
  });
}
