export * from './assign-lead-and-reply.js';
export * from './route-leads.js';
export * from './first-reply-draft.js';
