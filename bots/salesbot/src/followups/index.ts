export { planFollowUps } from './plan-follow-ups.js';
export { sendFollowUps, type SendFollowUpsResult, type FollowUpApprovalDraft } from './send-follow-ups.js';
export { draftFollowUp, templateFollowUp, followUpTextSchema, type FollowUpEmail, type FollowUpSubject } from './follow-up-draft.js';
export { readFollowUpIntent, type FollowUpIntent, type NamedDeal } from './choose-deals.js';
