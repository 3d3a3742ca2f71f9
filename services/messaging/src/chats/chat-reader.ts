import type { Chat } from '@messenger/contracts';
import type { ChatLog } from '../messages/chat-log.js';
import type { Marks } from '../messages/marks.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { MemberDoc } from '../store/member-model.js';
import type { MessageDoc } from '../store/message-model.js';
import { chatView } from '../views/chat-view.js';
import type { ChatMembers } from '../access/chat-members.js';
import type { MessageReader } from '../views/message-reader.js';

/** Chats as their members see them: members, last message and each one's unread count. */
export class ChatReader {
  constructor(
    private readonly members: ChatMembers,
    private readonly log: ChatLog,
    private readonly marks: Marks,
    private readonly messages: MessageReader,
  ) {}

  /** `last` is the chat's last message when the caller has just read it. */
  async of(userId: string, chat: ChatDoc, last?: MessageDoc | null): Promise<Chat> {
    const [view] = await this.forEach(chat, last, [userId]);
    if (!view) throw new Error('a view for each user asked');
    return view;
  }

  /** The chat as each of its current members sees it, with the user ids. */
  async forMembers(chat: ChatDoc): Promise<{ userId: string; view: Chat }[]> {
    const members = await this.members.of(chat._id);
    const userIds = members.map((member) => member.userId);
    const views = await this.forEach(chat, undefined, userIds, members);
    return views.map((view, index) => ({ userId: userIds[index] ?? '', view }));
  }

  private async forEach(
    chat: ChatDoc,
    last: MessageDoc | null | undefined,
    userIds: string[],
    known?: MemberDoc[],
  ): Promise<Chat[]> {
    const [members, lastMessage] = await Promise.all([
      known ?? this.members.of(chat._id),
      last === undefined ? this.log.lastMessage(chat._id) : last,
    ]);
    const [reads, lastViews] = await Promise.all([
      Promise.all(userIds.map((userId) => this.marks.current(chat._id, userId, 'read'))),
      lastMessage ? this.messages.viewsForEach(userIds, lastMessage) : [],
    ]);
    return reads.map((read, i) =>
      chatView(chat, members, lastViews[i] ?? null, read?.upToSeq ?? 0),
    );
  }
}
