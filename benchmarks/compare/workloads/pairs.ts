/** Sender/recipient pairs, each in a conversation of its own: the 1:1 workloads' devices. */
import { inBatches } from '../batches.js';
import type { Client, Conversation, System } from '../systems/system.js';
import type { Books, Sender } from './traffic.js';

export interface Pairs {
  conversations: Conversation[];
  /** Device 2k is pair k's first member, 2k+1 its second. */
  clients: Client[];
  /** Pair k's first member sends to its second. */
  senders: Sender[];
  close: () => void;
}

export async function connectPairs(
  system: System,
  books: Books,
  count: number,
  concurrency: number,
): Promise<Pairs> {
  const identities = await system.identities(count * 2);
  const conversations = await inBatches(4, count, (k) =>
    system.conversation([identities[2 * k], identities[2 * k + 1]].flatMap((i) => i ?? [])),
  );
  const clients = await inBatches(concurrency, count * 2, (device) =>
    system.connect(identities[device] ?? { id: '' }, [conversations[device >> 1] as Conversation]),
  );
  books.listen(clients);
  return {
    conversations,
    clients,
    senders: conversations.map((conversation, k) => ({
      client: clients[2 * k] as Client,
      device: 2 * k,
      conversationId: conversation.id,
      recipients: [2 * k + 1],
    })),
    close: () => {
      for (const client of clients) client.close();
    },
  };
}
