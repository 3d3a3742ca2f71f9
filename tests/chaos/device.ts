/**
 * One well-behaved client device, as an app is one: a Socket.IO connection through the gateway
 * that reconnects by itself (Socket.IO's backoff) and, on every connect, asks `sync` for what came
 * after the last seq it holds without a gap. It keeps every message it is shown by id and by
 * (chat, seq), so what a user would see twice, or miss, can be counted.
 */
import { io, type Socket } from 'socket.io-client';
import { gatewayUrl } from '@messenger/testkit/service-urls';
import type { Message } from '@messenger/testkit/races/race-kit';

export interface Seen {
  message: Message;
  /** performance.now() when it first arrived. */
  at: number;
  live: boolean;
}

/** A full batch of `sync` for a chat means more may follow: ask again from there. */
const SYNC_BATCH = 1000;
const SYNC_TIMEOUT_MS = 10_000;

export class Device {
  readonly socket: Socket;
  readonly byId = new Map<string, Seen>();
  private readonly bySeq = new Map<string, Map<number, string>>();
  /** The same message (id) shown again: absorbed by id, as the API allows. */
  redeliveries = 0;
  /** Two different messages shown at one (chat, seq). */
  seqConflicts = 0;
  connects = 0;
  syncFailures = 0;
  private syncing: Promise<void> | undefined;

  constructor(
    readonly userId: string,
    token: string,
    readonly chatIds: string[],
    private readonly onFirstSight: (device: Device, seen: Seen) => void = () => undefined,
  ) {
    this.socket = io(gatewayUrl, {
      path: '/ws',
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      randomizationFactor: 0.3,
      timeout: 5_000,
    });
    this.socket.on('message:new', (message: Message) => {
      this.hold(message, true);
    });
    this.socket.on('connect', () => {
      this.connects += 1;
      this.syncing = this.syncAll();
    });
  }

  /** Resolves once connected and synced the first time. */
  async ready(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.socket.connected || !this.syncing) {
      if (Date.now() > deadline) throw new Error(`device of ${this.userId} did not connect`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.syncing;
  }

  /** The highest seq of a chat below which this device holds every message. */
  contiguous(chatId: string): number {
    const seqs = this.bySeq.get(chatId);
    let seq = 0;
    while (seqs?.has(seq + 1)) seq += 1;
    return seq;
  }

  seqs(chatId: string): number[] {
    return [...(this.bySeq.get(chatId)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * Syncs every chat until no batch is full; a failed attempt is retried while connected, for up
   * to `giveUpMs` (a device left behind then shows in the books as messages it never got).
   */
  async syncAll(giveUpMs = 30_000): Promise<void> {
    const deadline = Date.now() + giveUpMs;
    for (let attempt = 0; this.socket.connected && Date.now() < deadline; attempt += 1) {
      try {
        let full = true;
        while (full) {
          const chats = this.chatIds.map((chatId) => ({
            chatId,
            afterSeq: this.contiguous(chatId),
          }));
          const answer = (await this.socket
            .timeout(SYNC_TIMEOUT_MS)
            .emitWithAck('sync', { chats })) as { messages?: Message[]; error?: unknown };
          if (!answer.messages) throw new Error(`sync: ${JSON.stringify(answer.error)}`);
          for (const message of answer.messages) this.hold(message, false);
          const perChat = new Map<string, number>();
          for (const m of answer.messages) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
          full = [...perChat.values()].some((count) => count >= SYNC_BATCH);
        }
        return;
      } catch {
        this.syncFailures += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 250 * 2 ** attempt)));
      }
    }
  }

  close(): void {
    this.socket.close();
  }

  private hold(message: Message, live: boolean): void {
    if (this.byId.has(message.id)) {
      this.redeliveries += 1;
      return;
    }
    const seqs = this.bySeq.get(message.chatId) ?? new Map<number, string>();
    this.bySeq.set(message.chatId, seqs);
    const holder = seqs.get(message.seq);
    if (holder !== undefined && holder !== message.id) this.seqConflicts += 1;
    seqs.set(message.seq, message.id);
    const seen = { message, at: performance.now(), live };
    this.byId.set(message.id, seen);
    this.onFirstSight(this, seen);
  }
}
