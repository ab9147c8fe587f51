export { sendCreatorOutreach, type CreatorOutreachDraft } from './send-creator-outreach.js';
export { requestUgcRights, type UgcRightsDraft } from './request-ugc-rights.js';
export { sendCreatorReminders, type CreatorRemindersDraft } from './send-creator-reminders.js';
export { sendCreatorFixRequests, type CreatorFixRequestsDraft } from './send-creator-fix-requests.js';
export { renewOrPauseAsset, type RenewOrPauseDraft, type RenewOrPauseResult } from './renew-or-pause-asset.js';
export { creatorMessageDraft, sendCreatorMessage, type SentCreatorMessage } from './creator-message.js';
