/** A still-typing user is re-announced at most this often. */
export const TYPING_REPEAT_MS = 3_000;

/**
 * Decides which typing signals of one socket are worth forwarding: every change of state, and a
 * repeated "still typing" only once per TYPING_REPEAT_MS per chat.
 */
export class TypingThrottle {
  private readonly last = new Map<string, { typing: boolean; at: number }>();

  shouldForward(chatId: string, typing: boolean, now = Date.now()): boolean {
    const previous = this.last.get(chatId);
    if (previous?.typing === typing && (!typing || now - previous.at < TYPING_REPEAT_MS))
      return false;
    this.last.set(chatId, { typing, at: now });
    return true;
  }
}
