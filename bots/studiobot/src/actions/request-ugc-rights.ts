import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { recordRightsRequest } from '../brain/creator-book.js';
import { sendCreatorMessage, sentSummary, type SentCreatorMessage } from './creator-message.js';

const rightsDraft = z.object({
  /** How long the licence runs once granted (the terms the request states). */
  term_days: z.number().int().min(1).max(3650),
  requests: z
    .array(
      z.object({
        media_id: z.string().min(1),
        username: z.string().min(1),
        brand: z.string().min(1),
        platform: z.string().min(1),
        permalink: z.string().min(1),
        media_type: z.string().min(1),
        channels: z.array(z.string().min(1)).min(1),
        body: z.string().min(10).max(2000),
      }),
    )
    .min(1),
});

/** The approval draft: one rights request per post, with its terms. */
export type UgcRightsDraft = z.input<typeof rightsDraft>;

/**
 * `request_ugc_rights`: reply under each post with the terms (once per post per approval) and put
 * the post in the rights register as requested, so the harvest never asks twice. The licensor's
 * "#YesHarborPine" reply is picked up by the next ugc-harvest run, which grants and announces it.
 */
export const requestUgcRights = defineAction({
  name: 'request_ugc_rights',
  draft: rightsDraft,
  async execute({ requests }, context): Promise<{ summary: string; requests: Array<SentCreatorMessage & { asset_id: string }> }> {
    const done: Array<SentCreatorMessage & { asset_id: string }> = [];
    for (const request of requests) {
      const sent = await sendCreatorMessage(context, {
        recipient: request.username,
        kind: 'rights_request',
        channel: 'comment_reply',
        body: request.body,
        mediaId: request.media_id,
      });
      const asset = await recordRightsRequest(context.db, {
        sourceMediaId: request.media_id,
        brand: request.brand,
        licensor: request.username,
        platform: request.platform,
        permalink: request.permalink,
        mediaType: request.media_type,
        channels: request.channels,
        requestKey: `${context.idempotencyKey}:${request.media_id}`,
      });
      done.push({ ...sent, asset_id: asset.assetId });
    }
    return { summary: sentSummary('rights request', done), requests: done };
  },
});
