export * from './topics.js';
export * from './events.js';
