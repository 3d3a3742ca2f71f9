export * from './topics.js';
export * from './events.js';
export * from './profile.js';
export * from './identity.js';
export * from './messaging.js';
export * from './ids.js';
