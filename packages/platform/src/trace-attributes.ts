import { trace, type Attributes } from '@opentelemetry/api';

/** Span attributes that name a chat and a message's place in it (never its content). */
export const ATTR_CHAT_ID = 'messenger.chat.id';
export const ATTR_MESSAGE_SEQ = 'messenger.message.seq';

/**
 * The chat id and seq of a Socket.IO payload (`{chatId, seq?}` or `{chatId, upToSeq?}`), as
 * span attributes; nothing for any other payload.
 */
export function chatAttributesOf(payload: unknown): Attributes {
  if (typeof payload !== 'object' || payload === null) return {};
  const { chatId, seq, upToSeq } = payload as Record<string, unknown>;
  if (typeof chatId !== 'string') return {};
  const position = typeof seq === 'number' ? seq : upToSeq;
  return typeof position === 'number'
    ? { [ATTR_CHAT_ID]: chatId, [ATTR_MESSAGE_SEQ]: position }
    : { [ATTR_CHAT_ID]: chatId };
}

/** Names the chat and seq of `payload` on the active span (the request, event or socket event). */
export function tagActiveSpan(payload: unknown): void {
  trace.getActiveSpan()?.setAttributes(chatAttributesOf(payload));
}
