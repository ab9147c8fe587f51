import { replyToSignal } from '@jbot/core';
import { defineCommand } from '../command.js';
import { shortId } from '../format-table.js';
import { openBrain, requireRunning } from '../open-brain.js';
import { checkIdShape, resolveId } from '../resolve-id.js';
import { UsageError } from '../usage-error.js';

/**
 * `fleet reply <signal-id> "text"`: act as the operator locally (no Telegram needed). The reply
 * is stored like a Telegram reply — linked to the signal — and delivered to the bot that raised
 * it as an operator_instruction; that bot acknowledges on its channel.
 */
export const replyCommand = defineCommand({
  name: 'reply',
  summary: 'answer a signal as the operator: the bot that raised it gets your instruction',
  arguments: '<signal-id> "instruction"',
  positionals: { min: 2, max: 1000 },
  options: { json: { type: 'boolean', description: 'print what was sent as JSON' } },
  details:
    'The id is the full one or any unique prefix (the 8 characters `fleet signals` prints). Needs the bot that raised the signal to be running.\nIn the `pnpm start` terminal you can type the same reply instead, e.g. `2 follow up on both`.',
  async run({ values, positionals }, io) {
    const [given = '', ...words] = positionals;
    const text = words.join(' ').trim();
    if (text === '') throw new UsageError('the instruction is empty');
    checkIdShape(given, 'signal', 'fleet signals');
    if (io.env['TELEGRAM_BOT_TOKEN'] !== undefined && io.env['TELEGRAM_BOT_TOKEN'] !== '') io.error('note: Telegram is configured; replying locally anyway.');
    const session = await openBrain(io.env, { needs: 'fleet' });
    try {
      const resolved = await resolveId(session.db, 'signal', given, 'fleet signals');
      if ('problem' in resolved) {
        for (const line of resolved.problem) io.error(line);
        return 1;
      }
      const signalId = resolved.id;
      const [signal] = await session.db.rpc<{ signal_id: string; source_bot: string; signal_type: string }>('get_signal', { p_signal_id: signalId });
      if (signal === undefined) {
        io.error(`No signal ${given}.`);
        return 1;
      }
      await requireRunning(session, [signal.source_bot]);
      const senderId = `cli:${io.env['USER'] ?? 'operator'}`;
      const reply = await replyToSignal(session.db, { signalId, text, channel: 'local', senderId });
      if (!reply.replied) {
        io.error(`Nothing sent: ${reply.reason}.`);
        return 1;
      }
      const result = { operatorMessageId: reply.operatorMessageId, to: reply.to, instructionSignalId: reply.instructionSignalId };
      if (values.json === true) io.out(JSON.stringify(result));
      else
        io.out(
          `Sent to ${signal.source_bot} as an instruction on ${signal.signal_type} ${shortId(signalId)} (operator message ${shortId(reply.operatorMessageId)})${session.config.brain.kind === 'embedded' ? '; its acknowledgement shows in the `pnpm start` terminal' : ''}.`,
        );
      return 0;
    } finally {
      await session.close();
    }
  },
});
