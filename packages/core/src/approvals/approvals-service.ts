import type { Logger } from 'pino';
import type { Db } from '../db/db.js';
import type { Channel } from '../channels/channel.js';
import type { SignalEmitter } from '../signals/signal-emitter.js';
import { approvalFromRow, type Approval, type ApprovalRow, type ApprovalStatus } from './approval.js';
import { ApprovalError, UnknownApprovalActionError } from './approval-errors.js';
import { approvalMessage } from './render-approval.js';
import { rpcOne } from '../db/rpc-one.js';
import { ApprovalDraftError } from './approval-errors.js';
import type { z } from 'zod';
import { asFirstPost } from './first-posts-in-flight.js';
import { showApproval } from './show-approval.js';

/** Default time a person has to decide. */
export const DEFAULT_APPROVAL_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * What the service needs of an action: its name and draft schema. Every ActionDefinition is one;
 * naming only this keeps the service free of define-action.ts (whose executors take the bot
 * context, which holds this service), so the modules do not import each other in a circle.
 */
export interface ActionReference<Draft extends z.ZodType = z.ZodType> {
  name: string;
  draft: Draft;
}

/** What a bot asks a person to approve. */
export interface ApprovalRequest<Draft extends z.ZodType = z.ZodType> {
  /** Which action runs it once approved: its definition (typed draft), or its name (the model's tool). */
  action: ActionReference<Draft> | string;
  /** One line a person can decide on ("Send 2 follow-up emails to stale wholesale deals"). */
  title: string;
  /** The drafted work: shown to the approver, handed to the executor; checked against the action's schema. */
  draft: z.input<Draft>;
  /** Milliseconds until it expires unanswered; default 24 h. */
  expiresIn?: number;
  /** The signal this answers (shown and linked). */
  signalId?: string;
  /** The bot's own key for this request: asking again with it returns the first approval. */
  requestKey?: string;
}

/** The result of a request. */
export interface RequestedApproval {
  approval: Approval;
  /** false: an approval with this requestKey already existed. */
  created: boolean;
}

/** `ctx.approvals`: ask for decisions and read them. */
export interface Approvals {
  request<Draft extends z.ZodType>(request: ApprovalRequest<Draft>): Promise<RequestedApproval>;
  get(approvalId: string): Promise<Approval | null>;
  /** The approval this bot already asked for under `requestKey`, if any: check it before drafting (no second model call). */
  findByRequestKey(requestKey: string): Promise<Approval | null>;
  list(filter?: { status?: ApprovalStatus; limit?: number }): Promise<Approval[]>;
}

/** Build a bot's approvals service: requests are written to the brain, then shown on its channel. */
export function createApprovals(dependencies: {
  db: Db;
  bot: string;
  channel: Channel;
  log: Logger;
  actions?: readonly ActionReference[];
  signals?: SignalEmitter;
}): Approvals {
  const { db, bot, channel, log } = dependencies;
  return {
    async request(input) {
      const actionName = typeof input.action === 'string' ? input.action : input.action.name;
      const known = dependencies.actions?.find((action) => action.name === actionName);
      if (dependencies.actions !== undefined && known === undefined) {
        throw new UnknownApprovalActionError(
          bot,
          actionName,
          dependencies.actions.map((action) => action.name),
        );
      }
      // The draft is checked when it is asked for, against the schema its executor trusts.
      const definition = typeof input.action === 'string' ? known : input.action;
      const checked = definition === undefined ? undefined : definition.draft.safeParse(input.draft);
      if (checked !== undefined && !checked.success) throw new ApprovalDraftError(bot, actionName, checked.error.issues);
      const request = { ...input, action: actionName };
      const expiresIn = request.expiresIn ?? DEFAULT_APPROVAL_EXPIRY_MS;
      const row = await rpcOne<{ approval_id: string; inserted: boolean }>(db, 'request_approval', {
        p_bot: bot,
        p_action: request.action,
        p_title: request.title,
        p_draft: request.draft ?? {},
        p_expires_in_seconds: Math.max(1, Math.round(expiresIn / 1000)),
        p_signal_id: request.signalId ?? null,
        p_request_key: request.requestKey ?? null,
      });
      const approval = await getApproval(db, row.approval_id);
      if (approval === null) throw new ApprovalError(`approval ${row.approval_id} vanished after its request`, { bot, approvalId: row.approval_id });
      // A new approval is born claimed for its first post (request_approval), so the requester
      // shows it. Showing is the view, not the record: a failed post releases the claim and the
      // bot's approval worker posts it on its next pass, so the request itself succeeds.
      if (row.inserted) {
        await postNew(db, channel, approval).catch((error: unknown) =>
          log.error({ err: error, approvalId: approval.id }, 'could not post the approval request; the approval worker will retry'),
        );
      }
      // Tell the fleet (jbot offers it to the operator on Telegram). The approval is already in
      // the brain and on the work floor, so a failed announcement is logged, not fatal.
      if (row.inserted && dependencies.signals !== undefined) {
        await dependencies.signals
          .emit('approval_requested', {
            approval_id: approval.id,
            bot,
            action: approval.action,
            title: approval.title,
            expires_at: approval.expiresAt,
            ...(approval.signalId === null ? {} : { signal_id: approval.signalId }),
          })
          .catch((error: unknown) => log.error({ err: error, approvalId: approval.id }, 'could not announce the approval request'));
      }
      log.info({ approvalId: approval.id, action: approval.action, created: row.inserted }, `approval requested: ${approval.title}`);
      return { approval, created: row.inserted };
    },
    get: (approvalId) => getApproval(db, approvalId),
    async findByRequestKey(requestKey) {
      const [row] = await db.rpc<{ approval_id: string }>('find_approval_by_request_key', { p_bot: bot, p_request_key: requestKey });
      return row === undefined ? null : getApproval(db, row.approval_id);
    },
    async list(filter = {}) {
      const rows = await db.rpc<ApprovalRow>('list_approvals', { p_status: filter.status ?? null, p_bot: bot, p_limit: filter.limit ?? 50 });
      return rows.map(approvalFromRow);
    },
  };
}

/** Read one approval; null when there is none. */
export async function getApproval(db: Db, approvalId: string): Promise<Approval | null> {
  const [row] = await db.rpc<ApprovalRow>('get_approval', { p_approval_id: approvalId });
  return row === undefined ? null : approvalFromRow(row);
}

/** Read approvals for the CLI: newest first, optionally one status or one bot. */
export async function listApprovals(db: Db, filter: { status?: ApprovalStatus; bot?: string; limit?: number } = {}): Promise<Approval[]> {
  const rows = await db.rpc<ApprovalRow>('list_approvals', { p_status: filter.status ?? null, p_bot: filter.bot ?? null, p_limit: filter.limit ?? 50 });
  return rows.map(approvalFromRow);
}

// The first post of a new approval (its render claim was taken by request_approval). A decision
// that landed meanwhile was left to this post (the worker saw it in flight), so once the post is
// recorded the message is brought up to the approval's current status.
async function postNew(db: Db, channel: Channel, approval: Approval): Promise<void> {
  await asFirstPost(approval.id, async () => {
    try {
      await channel.post(approvalMessage(approval));
    } catch (error) {
      await db.rpc('release_approval_render', { p_approval_id: approval.id, p_status: approval.status }).catch(() => {});
      throw error;
    }
  });
  const latest = await getApproval(db, approval.id);
  if (latest !== null && latest.status !== approval.status) await showApproval(db, channel, latest);
}
