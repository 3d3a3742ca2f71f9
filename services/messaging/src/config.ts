import { hostname } from 'node:os';
import { z } from 'zod';
import {
  backendConfig,
  baseConfigSchema,
  serviceClientConfig,
  tokenConfig,
} from '@messenger/platform';
import { services } from '@messenger/contracts/services';
import { attachmentConfig } from './attachments/attachment-config.js';

export const configSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(services.messaging.port),
    MONGO_URL: backendConfig.MONGO_URL,
    REDIS_URL: backendConfig.REDIS_URL,
    KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
    CONTACT_URL: z.url(),
    /** How long a connection counts as online without its instance's heartbeat (every TTL/3). */
    PRESENCE_TTL_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
    /** Per socket: events per second sustained, the burst after a quiet spell, in flight. */
    SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(100),
    SOCKET_EVENT_BURST: z.coerce.number().int().min(1).max(10_000).default(200),
    SOCKET_EVENTS_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(32),
    /** Per socket: events refused in 10 s before it is closed; its user's new ones wait this. */
    SOCKET_REFUSALS_BEFORE_CUTOFF: z.coerce.number().int().min(1).max(100_000).default(200),
    SOCKET_CUTOFF_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    /** Per socket: bytes queued for it and not yet sent before it is cut off as not reading. */
    SOCKET_MAX_QUEUED_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 * 1024 * 1024)
      // Twice the largest answer (a full `sync` ack, about 2 MB): a slow reader is not cut off
      // for one big answer, one that stopped reading is after a couple.
      .default(4 * 1024 * 1024),
    /**
     * Per instance: syncs run at once, and syncs waiting for a turn (up to half the ack timeout);
     * one more is answered `rate_limited` with the wait the queue ahead of it means.
     */
    SYNCS_AT_ONCE: z.coerce.number().int().min(1).max(1000).default(32),
    SYNCS_WAITING: z.coerce.number().int().min(0).max(100_000).default(200),
    /** Per instance: socket events in flight across all sockets. */
    INSTANCE_EVENTS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(2000),
    /** Per user, across instances: messages sent per second, and beyond that in any 10 s. */
    MESSAGE_SENDS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(5),
    MESSAGE_SEND_BURST: z.coerce.number().int().min(0).max(100_000).default(30),
    /** How long after sending its author may edit a message (docs/api.md, "Changing messages"). */
    MESSAGE_EDIT_WINDOW_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(48),
    /** An event not answered by then is answered `timeout`. */
    ACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    ...tokenConfig,
    ...serviceClientConfig,
    ...attachmentConfig,
  })
  .transform((config) => ({
    ...config,
    INSTANCE_ID: config.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
  }));

export type Config = z.infer<typeof configSchema>;
