/** One group: every member connected, members sending in turn, each message to all the others. */
import { inBatches } from '../batches.js';
import type { Client, System } from '../systems/system.js';
import { Books, traffic, type TrafficOptions, type TrafficRun } from './traffic.js';

export interface GroupOptions extends TrafficOptions {
  members: number;
  rate: number;
  seconds: number;
  concurrency: number;
}

export async function group(system: System, options: GroupOptions): Promise<TrafficRun> {
  const identities = await system.identities(options.members);
  const chat = await system.conversation(identities);
  const books = new Books();
  const clients: Client[] = await inBatches(options.concurrency, identities.length, (i) =>
    system.connect(identities[i] ?? { id: '' }, [chat]),
  );
  books.listen(clients);
  const devices = clients.map((_, device) => device);
  try {
    return await traffic(
      system,
      books,
      clients.map((client, device) => ({
        client,
        device,
        conversationId: chat.id,
        recipients: devices.filter((d) => d !== device),
      })),
      options.rate,
      Math.max(1, Math.round(options.rate * options.seconds)),
      options,
    );
  } finally {
    for (const client of clients) client.close();
  }
}
