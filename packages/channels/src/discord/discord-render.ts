import { splitText, type ChannelMessage, type Severity } from '@jbot/core';

type DiscordJs = typeof import('discord.js');

/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedsPerMessage: 10,
  charactersPerMessage: 6000,
} as const;

const COLOURS: Record<Severity, number> = { info: 0x5865f2, warning: 0xfee75c, alert: 0xed4245, critical: 0x992d22 };

/** One Discord message body (JSON for POST/PATCH /channels/{id}/messages). */
export interface DiscordMessageBody {
  embeds: unknown[];
  components: unknown[];
  allowed_mentions: { parse: never[] };
}

/** The custom_id of an approval button: who owns it, which approval, which decision. */
export function approvalCustomId(bot: string, approvalId: string, buttonId: string): string {
  return `approval:${bot}:${approvalId}:${buttonId}`;
}

/** Read an approval button's custom_id; null for any other component. */
export function parseApprovalCustomId(customId: string): { bot: string; approvalId: string; decision: 'approved' | 'rejected' | 'retry' } | null {
  const match = /^approval:([a-z][a-z0-9_-]*):([0-9a-f-]{36}):(approve|reject|retry)$/.exec(customId);
  if (match === null) return null;
  return {
    bot: match[1] as string,
    approvalId: match[2] as string,
    decision: match[3] === 'approve' ? 'approved' : match[3] === 'retry' ? 'retry' : 'rejected',
  };
}

/**
 * Render a channel message as Discord embeds with the builders: title, colour by severity,
 * fields, footer; text longer than one embed continues in further embeds and, past Discord's
 * per-message limits, in further messages. Buttons go on the first message, so the message an
 * approval is edited through is the one people click on.
 */
export function renderDiscordMessages(discord: DiscordJs, message: ChannelMessage, bot: string): DiscordMessageBody[] {
  const { EmbedBuilder, ButtonBuilder, ActionRowBuilder, ButtonStyle } = discord;
  const colour = COLOURS[message.severity ?? 'info'];
  const chunks = message.text === '' ? [] : splitText(message.text, DISCORD_LIMITS.description - 96);
  // Fields past Discord's count or the first embed's share of the 6000-character budget are
  // left out with a note; the full message is in channel_messages.
  const fields: Array<{ name: string; value: string; inline: boolean }> = [];
  let fieldBudget =
    DISCORD_LIMITS.charactersPerMessage -
    100 -
    Math.min(message.title.length, DISCORD_LIMITS.title) -
    Math.min(message.footer?.length ?? 0, DISCORD_LIMITS.footer) -
    (chunks[0]?.length ?? 0);
  const allFields = message.fields ?? [];
  for (const field of allFields) {
    const name = clip(field.name, DISCORD_LIMITS.fieldName) || '—';
    const value = clip(field.value, DISCORD_LIMITS.fieldValue) || '—';
    if (fields.length >= DISCORD_LIMITS.fields - 1 || name.length + value.length > fieldBudget) break;
    fields.push({ name, value, inline: field.inline ?? false });
    fieldBudget -= name.length + value.length;
  }
  if (fields.length < allFields.length)
    fields.push({ name: 'More', value: `${allFields.length - fields.length} more fields are in the fleet's message log (channel_messages)`, inline: false });
  const first = new EmbedBuilder().setTitle(clip(message.title, DISCORD_LIMITS.title) || '—').setColor(colour);
  if (chunks[0] !== undefined) first.setDescription(chunks[0]);
  if (fields.length > 0) first.addFields(fields);
  if (message.footer !== undefined) first.setFooter({ text: clip(message.footer, DISCORD_LIMITS.footer) });
  const embeds = [
    first,
    ...chunks.slice(1).map((chunk, index) =>
      new EmbedBuilder()
        .setColor(colour)
        .setTitle(clip(`${message.title} (${index + 2}/${chunks.length})`, DISCORD_LIMITS.title))
        .setDescription(chunk),
    ),
  ];

  const bodies: DiscordMessageBody[] = [];
  let current: unknown[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedLength(embed.toJSON());
    if (current.length > 0 && (current.length >= DISCORD_LIMITS.embedsPerMessage || size + length > DISCORD_LIMITS.charactersPerMessage)) {
      bodies.push({ embeds: current, components: [], allowed_mentions: { parse: [] } });
      current = [];
      size = 0;
    }
    current.push(embed.toJSON());
    size += length;
  }
  bodies.push({ embeds: current, components: [], allowed_mentions: { parse: [] } });

  if (message.buttons !== undefined && message.buttons.length > 0 && message.approvalId !== undefined) {
    const styles = { primary: ButtonStyle.Primary, success: ButtonStyle.Success, danger: ButtonStyle.Danger, secondary: ButtonStyle.Secondary } as const;
    const row = new ActionRowBuilder<InstanceType<DiscordJs['ButtonBuilder']>>().addComponents(
      message.buttons.map((button) =>
        new ButtonBuilder()
          .setCustomId(approvalCustomId(bot, message.approvalId as string, button.id))
          .setLabel(button.label)
          .setStyle(styles[button.style]),
      ),
    );
    (bodies[0] as DiscordMessageBody).components = [row.toJSON()];
  }
  return bodies;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function embedLength(embed: { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } }): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}
