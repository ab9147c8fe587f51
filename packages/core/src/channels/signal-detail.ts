import type { Logger } from 'pino';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import type { Severity } from '../signals/severity.js';
import type { Channel, ChannelField, ChannelMessage } from './channel.js';

/** The facts of a signal the detail post shows. */
export interface SignalDetailInput {
  id: string;
  type: string;
  severity: Severity;
  payload: unknown;
  sourceBot: string;
}

/**
 * A signal in full, as people read it on the work floor: scalar payload values become fields,
 * lists become one line per item (deal name — owner — last touch …).
 */
export function signalDetailMessage(signal: SignalDetailInput): ChannelMessage {
  const fields: ChannelField[] = [];
  const lines: string[] = [];
  if (signal.payload !== null && typeof signal.payload === 'object' && !Array.isArray(signal.payload)) {
    for (const [key, value] of Object.entries(signal.payload as Record<string, unknown>)) {
      if (Array.isArray(value)) {
        lines.push(`**${humanise(key)}** (${value.length})`);
        for (const item of value) lines.push(`• ${describeItem(item)}`);
      } else if (value !== null && typeof value === 'object') {
        fields.push({ name: humanise(key), value: describeItem(value), inline: false });
      } else if (value !== undefined && value !== null) {
        fields.push({ name: humanise(key), value: displayValue(value), inline: true });
      }
    }
  } else if (signal.payload !== undefined && signal.payload !== null) {
    lines.push(String(signal.payload));
  }
  return {
    kind: 'signal',
    title: `${signal.severity.toUpperCase()} · ${humanise(signal.type)}`,
    text: lines.join('\n'),
    fields,
    severity: signal.severity,
    signalId: signal.id,
    footer: `${signal.sourceBot} · signal ${signal.id}`,
  };
}

/**
 * Wrap a bot's emitter so every new signal (not a collapsed repeat) is also posted in full to
 * the bot's own channel. The signal is already written when the post fails, so a failed post
 * is logged, not thrown: the brain is the record, the post is the view.
 */
export function withDetailPosts(
  emitter: SignalEmitter,
  dependencies: { channel: Channel; bot: string; log: Logger; defaultSeverity: (signalType: string) => Severity },
): SignalEmitter {
  return {
    async emit(signalType, payload, options = {}) {
      const result = await emitter.emit(signalType, payload, options);
      if (!result.deduplicated) {
        const severity = options.severity ?? dependencies.defaultSeverity(signalType);
        await dependencies.channel
          .post(signalDetailMessage({ id: result.id, type: signalType, severity, payload, sourceBot: dependencies.bot }))
          .catch((error: unknown) => dependencies.log.error({ err: error, signalId: result.id }, 'could not post the signal detail to the channel'));
      }
      return result;
    },
  };
}

function humanise(key: string): string {
  const spaced = key.replace(/[_.]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function describeItem(item: unknown): string {
  if (item === null || typeof item !== 'object') return String(item);
  const record = item as Record<string, unknown>;
  const name = record['name'] ?? record['title'] ?? record['id'];
  const rest = Object.entries(record)
    .filter(([key, value]) => !['name', 'title'].includes(key) && value !== undefined && value !== null && typeof value !== 'object')
    .map(([key, value]) => `${humanise(key).toLowerCase()} ${displayValue(value)}`);
  return [name === undefined ? undefined : String(name), ...rest].filter((part) => part !== undefined).join(' — ');
}

// An ISO timestamp in a payload reads as a date and time to the minute (UTC), not to the millisecond.
function displayValue(value: unknown): string {
  const text = String(value);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return text;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? text : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
