export {};

// Telegram (jbot's executive layer; grammY loaded on demand)
export * from './telegram/index.js';
