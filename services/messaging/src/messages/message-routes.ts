import { Router } from 'express';
import { authOf, parseInput } from '@messenger/platform';
import type { ChatAccess } from '../access/chat-access.js';
import {
  chatIdParams,
  historyQuery,
  readBody,
  receiptParams,
  sendMessageBody,
} from '../schemas.js';
import type { ChatMembers } from '../access/chat-members.js';
import type { Store } from '../store/store.js';
import type { MessageReader } from '../views/message-reader.js';
import type { ChatLog } from './chat-log.js';
import { historyPage } from './history.js';
import type { MarkWriter, Marks } from './marks.js';
import { receiptsOf } from './receipts.js';
import type { MessageSender } from './send-message.js';

export interface MessageRouteDeps {
  store: Store;
  access: ChatAccess;
  members: ChatMembers;
  log: ChatLog;
  sender: MessageSender;
  marks: Marks;
  markWriter: MarkWriter;
  reader: MessageReader;
}

/** Messages, history, read marks and receipts of one chat (docs/api.md). */
export function messageRoutes(deps: MessageRouteDeps): Router {
  const { store, access, members, log, sender, marks, markWriter, reader } = deps;
  const router = Router();

  router.post('/chats/:chatId/messages', async (req, res) => {
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const body = parseInput(sendMessageBody, req.body);
    const { message, created } = await sender.send(authOf(req).userId, chatId, body, 'rest');
    res.status(created ? 201 : 200).json(message);
  });

  router.get('/chats/:chatId/messages', async (req, res) => {
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const query = parseInput(historyQuery, req.query, 'query');
    const { userId } = authOf(req);
    await access.requireMember(chatId, userId);
    res.json(await historyPage(log, reader, userId, chatId, query));
  });

  router.post('/chats/:chatId/read', async (req, res) => {
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const { upToSeq } = parseInput(readBody, req.body);
    await markWriter.mark(authOf(req).userId, chatId, 'read', upToSeq);
    res.status(204).end();
  });

  router.get('/chats/:chatId/messages/:messageId/receipts', async (req, res) => {
    const { chatId, messageId } = parseInput(receiptParams, req.params, 'params');
    await access.requireMember(chatId, authOf(req).userId);
    res.json(await receiptsOf(store, members, marks, chatId, messageId));
  });

  return router;
}
