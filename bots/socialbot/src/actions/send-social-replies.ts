import { z } from 'zod';
import { defineAction } from '@jbot/core';

const platform = z.enum(['instagram', 'facebook', 'tiktok', 'pinterest']);

const repliesDraft = z.object({
  replies: z
    .array(
      z.object({
        item_id: z.string().min(1),
        kind: z.enum(['comment', 'dm']),
        platform,
        author_id: z.string().nullable(),
        /** The comment answered, for the person deciding (untrusted text, shown quoted). */
        quoted: z.string(),
        text: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft: every reply as it will be sent. */
export type SendSocialRepliesDraft = z.input<typeof repliesDraft>;

/** `send_social_replies`: each reply sent once (keyed by the approval and the comment or DM). */
export const sendSocialReplies = defineAction({
  name: 'send_social_replies',
  draft: repliesDraft,
  async execute({ replies }, context) {
    const results = [];
    for (const reply of replies) {
      const sent = await context.connectors.social.reply({
        item: { id: reply.item_id, kind: reply.kind, platform: reply.platform, authorId: reply.author_id },
        text: reply.text,
        idempotencyKey: `${context.idempotencyKey}:reply:${reply.item_id}`,
      });
      results.push(sent);
    }
    const fresh = results.filter((result) => result.sent).length;
    return { summary: `${fresh} repl${fresh === 1 ? 'y' : 'ies'} sent`, replies: results };
  },
});

const hideDraft = z.object({
  comments: z.array(z.object({ item_id: z.string().min(1), platform, quoted: z.string(), reason: z.string().min(1) })).min(1),
});

/** The approval draft: the comments to hide. */
export type HideCommentsDraft = z.input<typeof hideDraft>;

/** `hide_comments`: each comment hidden (never deleted) once. */
export const hideComments = defineAction({
  name: 'hide_comments',
  draft: hideDraft,
  async execute({ comments }, context) {
    const results = [];
    for (const comment of comments) {
      results.push(
        await context.connectors.social.hideComment({
          item: { id: comment.item_id, platform: comment.platform },
          idempotencyKey: `${context.idempotencyKey}:hide:${comment.item_id}`,
        }),
      );
    }
    const changed = results.filter((result) => result.changed).length;
    return { summary: `${changed} comment${changed === 1 ? '' : 's'} hidden`, comments: results };
  },
});
