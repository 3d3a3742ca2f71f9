import { authOperations } from './auth-api.js';
import { chatOperations } from './chat-api.js';
import { contactOperations } from './contact-api.js';
import { messageChangeOperations } from './message-change-api.js';
import type { Operation } from './operation.js';
import { profileOperations } from './profile-api.js';
import { searchOperations } from './search-api.js';
import { sessionOperations } from './session-api.js';
import { uploadOperations } from './upload-api.js';

export * from './auth-api.js';
export * from './chat-api.js';
export * from './contact-api.js';
export * from './errors.js';
export * from './internal-api.js';
export * from './message-change-api.js';
export * from './operation.js';
export * from './page.js';
export * from './problems-of.js';
export * from './profile-api.js';
export * from './search-api.js';
export * from './session-api.js';
export * from './text.js';
export * from './upload-api.js';

/** Every operation of the external API (docs/api.md), paths relative to `/api/v1`. */
export const externalOperations: readonly Operation[] = [
  ...authOperations,
  ...sessionOperations,
  ...profileOperations,
  ...contactOperations,
  ...searchOperations,
  ...chatOperations,
  ...uploadOperations,
  ...messageChangeOperations,
];
