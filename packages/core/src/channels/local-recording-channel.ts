import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { Channel, ChannelMessage, PostedMessage } from './channel.js';
import { messageBody, messageText, recordChannelMessage, recordChannelMessageEdit } from './record-channel-message.js';
import { rpcOne } from '../db/rpc-one.js';

/** What the local channel needs. */
export interface LocalRecordingChannelOptions {
  db: Db;
  bot: string;
  /** The channel's name as people read it (#sales-bot). */
  target: string;
  log: Logger;
  /** Show a sent or edited message (the console channel prints it; default: one info log line). */
  show?: (event: { edited: boolean; bot: string; target: string; message: ChannelMessage; messageId: string }) => void;
}

/**
 * The channel used when no Discord token is set: every message is stored in channel_messages
 * (channel `local`) and shown on the process's output. A signal's detail post goes through
 * record_signal_post, so it is stored once however many processes post it.
 */
export function createLocalRecordingChannel(options: LocalRecordingChannelOptions): Channel {
  const { db, bot, target, log } = options;
  const show =
    options.show ??
    ((event) => log.info({ channel: 'local', target: event.target, messageId: event.messageId, edited: event.edited }, messageText(event.message)));
  return {
    kind: 'local',
    target,
    async post(message) {
      let messageId: string;
      if (message.signalId !== undefined && message.approvalId === undefined) {
        const row = await rpcOne<{ message_id: string }>(db, 'record_signal_post', {
          p_signal_id: message.signalId,
          p_channel: 'local',
          p_target: target,
          p_bot: bot,
          p_text: messageText(message),
          p_body: messageBody(message),
        });
        messageId = row.message_id;
      } else {
        messageId = await recordChannelMessage(db, { channel: 'local', target, bot, message });
      }
      show({ edited: false, bot, target, message, messageId });
      return { messageId, channel: 'local', target, externalMessageId: null } satisfies PostedMessage;
    },
    async edit(posted, message) {
      await recordChannelMessageEdit(db, posted.messageId, message);
      show({ edited: true, bot, target, message, messageId: posted.messageId });
    },
    async close() {},
  };
}
