import { Router } from 'express';
import { authOf, pageQuerySchema, parseInput, problems } from '@messenger/platform';
import type { ChatLog } from '../messages/chat-log.js';
import {
  addMemberBody,
  chatIdParams,
  createChatBody,
  memberParams,
  renameChatBody,
  roleBody,
} from '../schemas.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';
import type { ChatAccess } from '../access/chat-access.js';
import { listChats } from './chat-list.js';
import type { ChatReader } from './chat-reader.js';
import type { ChatCreator } from './create-chat.js';
import type { GroupAdmin } from './group-admin.js';
import type { Membership } from './membership.js';

export interface ChatRouteDeps {
  store: Store;
  access: ChatAccess;
  log: ChatLog;
  chatReader: ChatReader;
  creator: ChatCreator;
  membership: Membership;
  admin: GroupAdmin;
}

/** Chats, their members and their administration (docs/api.md). */
export function chatRoutes({
  store,
  access,
  log,
  chatReader,
  creator,
  membership,
  admin,
}: ChatRouteDeps): Router {
  const router = Router();

  router.post('/chats', async (req, res) => {
    const { userId } = authOf(req);
    const body = parseInput(createChatBody, req.body);
    if (body.type === 'direct') {
      const { chat, created } = await creator.direct(userId, body.userId);
      res.status(created ? 201 : 200).json(await chatReader.of(userId, chat));
      return;
    }
    const chat = await creator.group(userId, body.name, body.memberIds);
    res.status(201).json(await chatReader.of(userId, chat));
  });

  router.get('/chats', async (req, res) => {
    const query = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await listChats(store, log, chatReader, authOf(req).userId, query));
  });

  router.get('/chats/:chatId', async (req, res) => {
    const { userId } = authOf(req);
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    await access.requireMember(chatId, userId);
    // Read again: the access check remembers chats, and a rename changes the name.
    const chat = await store.chats.findById(chatId).lean<ChatDoc>();
    if (!chat) throw problems.notFound('No such chat.');
    res.json(await chatReader.of(userId, chat));
  });

  router.patch('/chats/:chatId', async (req, res) => {
    const { userId } = authOf(req);
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const body = parseInput(renameChatBody, req.body);
    res.json(await chatReader.of(userId, await admin.rename(userId, chatId, body)));
  });

  router.put('/chats/:chatId/members/:userId/role', async (req, res) => {
    const actorId = authOf(req).userId;
    const { chatId, userId } = parseInput(memberParams, req.params, 'params');
    const { role } = parseInput(roleBody, req.body);
    res.json(await chatReader.of(actorId, await admin.setRole(actorId, chatId, userId, role)));
  });

  router.post('/chats/:chatId/members', async (req, res) => {
    const { userId } = authOf(req);
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const body = parseInput(addMemberBody, req.body);
    res.json(await chatReader.of(userId, await membership.add(userId, chatId, body.userId)));
  });

  router.delete('/chats/:chatId/members/:userId', async (req, res) => {
    const params = parseInput(memberParams, req.params, 'params');
    await membership.remove(authOf(req).userId, params.chatId, params.userId);
    res.status(204).end();
  });

  return router;
}
