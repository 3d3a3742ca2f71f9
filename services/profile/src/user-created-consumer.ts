import { parseEvent } from '@messenger/contracts';
import { idempotentPg, type EventHandler, type Logger, type Pool } from '@messenger/platform';
import { findProfiles, insertProfileIfAbsent } from './profile-store.js';

/**
 * Creates the profile of a new user when register's own call to this service did not (it
 * normally did, and then this does nothing). Events of other types or shapes are skipped.
 */
export function userCreatedHandler(pool: Pool, logger: Logger): EventHandler {
  const apply = idempotentPg(pool, 'profile.user-created', async (envelope, client) => {
    const event = parseEvent(envelope);
    if (event?.type !== 'user.created') {
      logger.warn({ eventId: envelope.id }, 'skipping a user.created event with unexpected data');
      return;
    }
    const { userId, nickname } = event.data;
    if (await insertProfileIfAbsent(client, userId, nickname)) return;
    const [existing] = await findProfiles(client, [userId]);
    if (!existing) {
      logger.warn({ eventId: envelope.id, userId }, 'user.created names a nickname someone holds');
    }
  });
  return (envelope) => (envelope.type === 'user.created' ? apply(envelope) : Promise.resolve());
}
