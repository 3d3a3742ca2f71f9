import { Router } from 'express';
import { authOf, parseInput } from '@messenger/platform';
import type { ContactClient } from '../contact/contact-client.js';
import { presenceQuery } from '../schemas.js';
import type { PresenceStore } from './presence-store.js';

/** GET /presence: the status of the asked users who are the caller's friends (or the caller). */
export function presenceRoutes(presence: PresenceStore, contact: ContactClient): Router {
  const router = Router();
  router.get('/presence', async (req, res) => {
    const { userIds } = parseInput(presenceQuery, req.query, 'query');
    const me = authOf(req).userId;
    const friends = new Set(await contact.friendsOf(me));
    const visible = userIds.filter((id) => id === me || friends.has(id));
    const statuses = await presence.statuses(visible);
    res.json({ statuses: Object.fromEntries(statuses) });
  });
  return router;
}
