export * from './answer-operator.js';
export * from './commit-risk-reply.js';
export * from './margin-exception-reply.js';
