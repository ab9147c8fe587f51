export { delayNoticesKey, planDelayNotices, SEND_DELAY_NOTICES, type DelayNotice } from './plan-delay-notices.js';
export { sendDelayNotices, type SendDelayNoticesResult } from './send-delay-notices.js';
