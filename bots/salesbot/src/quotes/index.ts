export * from './send-quote-followups.js';
export * from './quote-follow-up-draft.js';
