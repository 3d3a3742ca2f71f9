/**
 * What the harness needs of a system under test. Every workload drives the three systems through
 * this interface only, so they are driven identically.
 */

/** An authenticated user of the system (the platform: a registered account). */
export interface Identity {
  id: string;
}

/** A conversation: a direct chat, a group, a room or a channel, by the system's id. */
export interface Conversation {
  id: string;
  members: Identity[];
}

export type ReceiveHandler = (conversationId: string, body: string) => void;

/** One connected device. */
export interface Client {
  readonly identity: Identity;
  /** Sends `body` into the conversation; resolves once the system acknowledged it. */
  send: (conversationId: string, body: string) => Promise<void>;
  /** Called for every message the device sees, live or recovered after `resume`. */
  onReceive: (handler: ReceiveHandler) => void;
  /** Loses the connection without a goodbye, as a network failure would. */
  drop: () => void;
  /** Connects again and asks for what it missed (where the system can tell it). */
  resume: () => Promise<void>;
  close: () => void;
}

export interface System {
  readonly name: SystemName;
  /** Starts what the harness runs itself (nothing for the platform: the stack runs it). */
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** The server processes to charge CPU and memory to (descendants are included). */
  serverPids: () => number[];
  /** `count` users, made once and reused by later calls (ready to connect now). */
  identities: (count: number) => Promise<Identity[]>;
  /** A conversation of these members (two: direct; more: a group with the first as admin). */
  conversation: (members: Identity[]) => Promise<Conversation>;
  /** A device of `identity` that receives the messages of `conversations`. */
  connect: (identity: Identity, conversations: Conversation[]) => Promise<Client>;
  /** Forgets the conversations the run made, where the system keeps them. */
  cleanup: () => Promise<void>;
}

export const systemNames = ['platform', 'relay', 'centrifugo'] as const;
export type SystemName = (typeof systemNames)[number];
