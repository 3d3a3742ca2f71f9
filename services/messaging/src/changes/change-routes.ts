import { Router } from 'express';
import { authOf, parseInput } from '@messenger/platform';
import {
  chatIdParams,
  deleteMessageQuery,
  editMessageBody,
  messageParams,
  reactionParams,
} from '../schemas.js';
import type { MessageChanges } from './message-changes.js';
import type { Pins } from './pins.js';

/** Edits, deletes, reactions and pins (docs/api.md, "Changing messages"). */
export function changeRoutes(changes: MessageChanges, pins: Pins): Router {
  const router = Router();

  router.patch('/chats/:chatId/messages/:messageId', async (req, res) => {
    const { chatId, messageId } = parseInput(messageParams, req.params, 'params');
    const { content } = parseInput(editMessageBody, req.body);
    res.json(await changes.edit(authOf(req).userId, chatId, messageId, content));
  });

  router.delete('/chats/:chatId/messages/:messageId', async (req, res) => {
    const { chatId, messageId } = parseInput(messageParams, req.params, 'params');
    const query = parseInput(deleteMessageQuery, req.query, 'query');
    await changes.delete(authOf(req).userId, chatId, messageId, query.for);
    res.status(204).end();
  });

  for (const [method, add] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    router[method]('/chats/:chatId/messages/:messageId/reactions/:emoji', async (req, res) => {
      const { chatId, messageId, emoji } = parseInput(reactionParams, req.params, 'params');
      await changes.react(authOf(req).userId, chatId, messageId, emoji, add);
      res.status(204).end();
    });
  }

  router.get('/chats/:chatId/pins', async (req, res) => {
    const { chatId } = parseInput(chatIdParams, req.params, 'params');
    res.json({ items: await pins.list(authOf(req).userId, chatId) });
  });

  router.put('/chats/:chatId/pins/:messageId', async (req, res) => {
    const { chatId, messageId } = parseInput(messageParams, req.params, 'params');
    await pins.pin(authOf(req).userId, chatId, messageId);
    res.status(204).end();
  });

  router.delete('/chats/:chatId/pins/:messageId', async (req, res) => {
    const { chatId, messageId } = parseInput(messageParams, req.params, 'params');
    await pins.unpin(authOf(req).userId, chatId, messageId);
    res.status(204).end();
  });

  return router;
}
