export * from './send-outreach.js';
export * from './outreach-draft.js';
export * from './score-prospects.js';
