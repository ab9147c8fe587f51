import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { openBrain } from '../open-brain.js';
import { rpcOne } from '@jbot/core';

/**
 * `fleet reply <signal-id> "text"`: act as the operator locally (no Telegram needed). The reply
 * is stored like a Telegram reply — linked to the signal — and delivered to the bot that raised
 * it as an operator_instruction; that bot acknowledges on its channel.
 */
export const replyCommand: Command = {
  name: 'reply',
  summary: "answer a signal as the operator: the bot that raised it gets your instruction",
  usage: 'fleet reply <signal-id> "instruction" [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const [signalId, ...words] = positionals;
    const text = words.join(' ').trim();
    if (signalId === undefined || text === '') {
      io.error(`usage: ${this.usage}`);
      return 64;
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(signalId)) {
      io.error(`"${signalId}" is not a signal id (a UUID; see \`fleet signals --json\`)`);
      return 64;
    }
    if (io.env['TELEGRAM_BOT_TOKEN'] !== undefined && io.env['TELEGRAM_BOT_TOKEN'] !== '') io.error('note: Telegram is configured; replying locally anyway.');
    const session = await openBrain(io.env);
    try {
      const [signal] = await session.db.rpc<{ signal_id: string; source_bot: string; signal_type: string }>('get_signal', { p_signal_id: signalId });
      if (signal === undefined) {
        io.error(`No signal ${signalId}.`);
        return 1;
      }
      const received = await rpcOne<{ operator_message_id: string }>(session.db, 'receive_operator_message', {
        p_channel: 'local',
        p_sender_id: `cli:${io.env['USER'] ?? 'operator'}`,
        p_text: text,
        p_reply_to_signal_id: signalId,
      });
      const [routed] = await session.db.rpc<{ routed: boolean; instruction_signal_id: string | null }>('route_operator_message', {
        p_operator_message_id: received.operator_message_id,
        p_routed_to: signal.source_bot,
        p_instruction: { to_bot: signal.source_bot, text, channel: 'local', sender_id: `cli:${io.env['USER'] ?? 'operator'}`, signal_id: signalId },
      });
      const result = { operatorMessageId: received.operator_message_id, to: signal.source_bot, instructionSignalId: routed?.instruction_signal_id ?? null };
      if (values.json === true) io.out(JSON.stringify(result));
      else io.out(`Sent to ${signal.source_bot} as an instruction on ${signal.signal_type} (operator message ${received.operator_message_id}).`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
