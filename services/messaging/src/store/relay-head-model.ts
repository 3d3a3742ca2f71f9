import { mongoose } from '@messenger/platform';

/**
 * How far the relay has published one log (a chat's messages, or one member's marks of one
 * kind): `_id` is the log's key (`message:<chatId>` or `mark:<chatId>:<userId>:<kind>`). Only the
 * relay writes it, and only to a position it has published, so a head never runs ahead of Kafka;
 * should two relays ever overlap and one write an older position, the next step republishes
 * what lies above it with the same event ids, which the consumers absorb. Readers use a head as a
 * lower bound of the log's end (see log-position.ts), never as the end itself.
 */
export interface RelayHeadDoc {
  _id: string;
  relayed: number;
  /** The newest relayed record's time: a chat's last activity. */
  at: Date;
  /** For a mark log, the newest relayed mark. */
  upToSeq: number | null;
}

export const relayHeadSchema = new mongoose.Schema<RelayHeadDoc>(
  {
    _id: { type: String, required: true },
    relayed: { type: Number, required: true },
    at: { type: Date, required: true },
    upToSeq: { type: Number, default: null },
  },
  { collection: 'relay_heads', versionKey: false },
);
