export { delayNoticesKey, planDelayNotices } from './plan-delay-notices.js';
export { sendDelayNotices, type SendDelayNoticesResult, type DelayNotice } from './send-delay-notices.js';
