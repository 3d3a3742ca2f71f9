import { Router } from 'express';
import { authOf, pageQuerySchema, parseInput } from '@messenger/platform';
import { addMemberBody, chatIdParams, createChatBody, memberParams } from '../schemas.js';
import type { Store } from '../store/store.js';
import { requireMembership } from './chat-access.js';
import { listChats } from './chat-list.js';
import { chatViewFor } from './chat-views.js';
import type { ChatCreator } from './create-chat.js';
import type { Membership } from './membership.js';

export interface ChatRouteDeps {
  store: Store;
  creator: ChatCreator;
  membership: Membership;
}

/** POST/GET /chats, GET /chats/{id}, POST/DELETE /chats/{id}/members (API.md). */
export function chatRoutes({ store, creator, membership }: ChatRouteDeps): Router {
  const router = Router();
  const viewFor = chatViewFor.bind(null, store);

  router.post('/chats', async (req, res) => {
    const { userId } = authOf(req);
    const body = parseInput(createChatBody, req.body);
    if (body.type === 'direct') {
      const { chat, created } = await creator.direct(userId, body.userId);
      res.status(created ? 201 : 200).json(await viewFor(userId, chat));
      return;
    }
    const chat = await creator.group(userId, body.name, body.memberIds);
    res.status(201).json(await viewFor(userId, chat));
  });

  router.get('/chats', async (req, res) => {
    const query = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await listChats(store, authOf(req).userId, query));
  });

  router.get('/chats/:chatId', async (req, res) => {
    const { userId } = authOf(req);
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    res.json(await viewFor(userId, await requireMembership(store, chatId, userId)));
  });

  router.post('/chats/:chatId/members', async (req, res) => {
    const { userId } = authOf(req);
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const body = parseInput(addMemberBody, req.body);
    res.json(await viewFor(userId, await membership.add(userId, chatId, body.userId)));
  });

  router.delete('/chats/:chatId/members/:userId', async (req, res) => {
    const params = parseInput(memberParams, req.params, 'params');
    await membership.remove(authOf(req).userId, params.chatId, params.userId);
    res.status(204).end();
  });

  return router;
}
