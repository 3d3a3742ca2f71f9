import { isDuplicateKeyError, problems } from '@messenger/platform';
import { MAX_PINS } from '@messenger/contracts';
import { requireMember, type ChatAccess, type Membership } from '../access/chat-access.js';
import { requireChatMessage } from '../access/chat-message.js';
import { messageKey } from '../store/message-model.js';
import { pinKey, type PinDoc } from '../store/pin-model.js';
import { findByKeys, type Store } from '../store/store.js';
import type { MessageReader } from '../views/message-reader.js';

export interface Pin {
  message: Awaited<ReturnType<MessageReader['view']>>;
  pinnedBy: string;
  pinnedAt: string;
}

/**
 * Pinned messages: in a group its admins pin and unpin, in a direct chat either member. A pin is
 * its own document (insert to pin, delete to unpin); a chat holds at most MAX_PINS, counted
 * before the insert (racing pins may pass it by the number of racers).
 */
export class Pins {
  constructor(
    private readonly store: Store,
    private readonly access: ChatAccess,
    private readonly reader: MessageReader,
  ) {}

  async list(userId: string, chatId: string): Promise<Pin[]> {
    await this.access.requireMember(chatId, userId);
    const pins = await this.pinsOf(chatId);
    const messages = await findByKeys(
      this.store.messages,
      pins.map((pin) => messageKey(chatId, pin.messageSeq)),
    );
    const views = new Map(
      (await this.reader.views(userId, messages)).map((view) => [view.id, view]),
    );
    return pins.flatMap((pin) => {
      const message = views.get(pin.messageId);
      return message
        ? [{ message, pinnedBy: pin.pinnedBy, pinnedAt: pin.pinnedAt.toISOString() }]
        : [];
    });
  }

  async pin(userId: string, chatId: string, messageId: string): Promise<void> {
    await this.requireMayPin(chatId, userId);
    const message = await requireChatMessage(this.store, chatId, messageId);
    if (message.deleted) throw problems.conflict('message_deleted', 'The message was deleted.');
    const key = pinKey(chatId, messageId);
    if (await this.store.pins.exists({ _id: key })) return;
    if ((await this.pinsOf(chatId)).length >= MAX_PINS)
      throw problems.conflict('pin_limit', `A chat pins at most ${MAX_PINS} messages.`);
    try {
      await this.store.pins.create({
        _id: key,
        chatId,
        messageId,
        messageSeq: message.seq,
        pinnedBy: userId,
        pinnedAt: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async unpin(userId: string, chatId: string, messageId: string): Promise<void> {
    await this.requireMayPin(chatId, userId);
    await this.store.pins.deleteOne({ _id: pinKey(chatId, messageId) });
  }

  /** Latest pin first; MongoDB index `{chatId: 1}`. */
  private pinsOf(chatId: string): Promise<PinDoc[]> {
    return this.store.pins
      .find({ chatId })
      .sort({ pinnedAt: -1 })
      .limit(MAX_PINS + 1)
      .lean<PinDoc[]>();
  }

  private async requireMayPin(chatId: string, userId: string): Promise<Membership> {
    const membership = await requireMember(this.store, chatId, userId);
    if (membership.chat.type === 'group' && membership.member.role !== 'admin')
      throw problems.forbidden('Only an admin of the group may pin.', 'not_admin');
    return membership;
  }
}
