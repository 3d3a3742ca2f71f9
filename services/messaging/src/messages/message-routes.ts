import { Router } from 'express';
import { authOf, parseInput } from '@messenger/platform';
import { requireMembership } from '../chats/chat-access.js';
import {
  chatIdParams,
  historyQuery,
  readBody,
  receiptParams,
  sendMessageBody,
} from '../schemas.js';
import type { Store } from '../store/store.js';
import { historyPage } from './history.js';
import type { MarkWriter } from './marks.js';
import { receiptsOf } from './receipts.js';
import type { MessageSender } from './send-message.js';

export interface MessageRouteDeps {
  store: Store;
  sender: MessageSender;
  marks: MarkWriter;
}

/** Messages, history, read marks and receipts of one chat (API.md). */
export function messageRoutes({ store, sender, marks }: MessageRouteDeps): Router {
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
    await requireMembership(store, chatId, authOf(req).userId);
    res.json(await historyPage(store, chatId, query));
  });

  router.post('/chats/:chatId/read', async (req, res) => {
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    const { upToSeq } = parseInput(readBody, req.body);
    await marks.mark(authOf(req).userId, chatId, 'read', upToSeq);
    res.status(204).end();
  });

  router.get('/chats/:chatId/messages/:messageId/receipts', async (req, res) => {
    const { chatId, messageId } = parseInput(receiptParams, req.params, 'params');
    const chat = await requireMembership(store, chatId, authOf(req).userId);
    res.json(await receiptsOf(store, chat, messageId));
  });

  return router;
}
