import { randomUUID } from 'node:crypto';
import type { Redis } from '@messenger/platform';
import type { MemberDoc } from '../store/member-model.js';
import type { Store } from '../store/store.js';
import { membersOf } from './members.js';

const REMEMBERED_CHATS = 10_000;
const VERSION_TTL_SECONDS = 24 * 60 * 60;

interface Remembered {
  version: string | null;
  members: MemberDoc[];
}

/**
 * A chat's members as the relay, typing and views read them: remembered per instance together
 * with the chat's membership version, a random token in Redis that every membership change
 * replaces after its insert or delete and before its system message. A read that finds the
 * version unchanged uses what it remembers; otherwise it reads the members again. A reader that
 * sees a new version therefore sees the change, so a message stored after a removal is never
 * fanned out to the removed member. A lost or expired version only costs a read.
 */
export class ChatMembers {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly store: Store,
    private readonly redis: Redis,
  ) {}

  async of(chatId: string): Promise<MemberDoc[]> {
    const version = await this.version(chatId);
    const known = this.remembered.get(chatId);
    if (known && version !== null && known.version === version) return known.members;
    const members = await membersOf(this.store, chatId);
    this.remembered.delete(chatId);
    this.remembered.set(chatId, { version, members });
    if (this.remembered.size > REMEMBERED_CHATS) {
      const oldest = this.remembered.keys().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
    return members;
  }

  async idsOf(chatId: string): Promise<string[]> {
    return (await this.of(chatId)).map((member) => member.userId);
  }

  /**
   * The current version; a chat without one gets one first, so what is read next is tied to it
   * (a change after that replaces it).
   */
  private async version(chatId: string): Promise<string | null> {
    const key = versionKey(chatId);
    const current = await this.redis.get(key);
    if (current !== null) return current;
    const token = randomUUID();
    const set = await this.redis.set(key, token, 'EX', VERSION_TTL_SECONDS, 'NX');
    return set === 'OK' ? token : this.redis.get(key);
  }

  /** Called after a membership insert, delete or role change, before anything announces it. */
  async changed(chatId: string): Promise<void> {
    await this.redis.set(versionKey(chatId), randomUUID(), 'EX', VERSION_TTL_SECONDS);
  }
}

function versionKey(chatId: string): string {
  return `messaging:members:${chatId}`;
}
