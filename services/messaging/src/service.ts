import {
  Backends,
  createTokenVerifier,
  redisRevocationCheck,
  requireAuth,
  startConsumer,
  type ServiceContext,
  type ServiceParts,
  ServiceClient,
} from '@messenger/platform';
import { topics } from '@messenger/contracts';
import type { Config } from './config.js';
import { openAttachments } from './attachments/attachments.js';
import { changeRoutes } from './changes/change-routes.js';
import { ChangeLog } from './changes/change-log.js';
import { HideLog } from './changes/hide-log.js';
import { MessageChanges } from './changes/message-changes.js';
import { Pins } from './changes/pins.js';
import { chatRoutes } from './chats/chat-routes.js';
import { GroupAdmin } from './chats/group-admin.js';
import { ChatAccess } from './access/chat-access.js';
import { ChatMembers } from './access/chat-members.js';
import { ChatNotifier } from './chats/chat-notifier.js';
import { ChatReader } from './chats/chat-reader.js';
import { ChatCreator } from './chats/create-chat.js';
import { Membership } from './chats/membership.js';
import { ContactClient } from './contact/contact-client.js';
import { RelationshipPolicy } from './contact/policy.js';
import { ChatLog } from './messages/chat-log.js';
import { MarkWriter, Marks } from './messages/marks.js';
import { messageRoutes } from './messages/message-routes.js';
import { MessageSender } from './messages/send-message.js';
import { createMessagingMetrics } from './metrics.js';
import { LogRelay } from './outbox/log-relay.js';
import { OutboxWake } from './outbox/outbox-wake.js';
import { PendingLogs } from './outbox/pending-logs.js';
import { PresenceAnnouncer } from './presence/presence-announcer.js';
import { presenceRoutes } from './presence/presence-routes.js';
import { PresenceStore } from './presence/presence-store.js';
import { PresenceTracker } from './presence/presence-tracker.js';
import { InstanceLoad } from './realtime/acks.js';
import { UserBudgets } from './realtime/socket-budget.js';
import { SyncGate } from './realtime/sync-gate.js';
import { acceptConnections } from './realtime/connections.js';
import { deliveryHandler } from './realtime/delivery.js';
import { SendRate } from './messages/send-rate.js';
import { createSocketServer } from './realtime/socket-server.js';
import { CutOffs } from './realtime/cut-offs.js';
import { SlowConsumerSweep } from './realtime/slow-consumers.js';
import { TypingRelay } from './realtime/typing-relay.js';
import { openStore } from './store/store.js';
import { MessageReader } from './views/message-reader.js';

/** One consumer group for every instance: each event is delivered by one of them. */
export const DELIVERY_GROUP = 'messaging-delivery';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context);
  const { redis } = backends;
  const store = await openStore(backends.mongo);
  const metrics = createMessagingMetrics(registry);
  const pending = new PendingLogs(redis);
  const members = new ChatMembers(store, redis);
  const access = new ChatAccess(store, members);
  const attachments = await openAttachments({
    connection: backends.mongo,
    redis,
    access,
    config,
    logger,
    registry,
  });
  const reader = new MessageReader(store, attachments.links);
  const relay = new LogRelay({
    store,
    members,
    pending,
    producer: backends.producer,
    logger,
    registry,
    reader,
  });
  const outbox = await OutboxWake.start([relay], redis, logger);
  const isRevoked = redisRevocationCheck(redis);
  const verify = createTokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    isRevoked,
  });
  const contact = new ContactClient(
    new ServiceClient({
      service: 'contact',
      baseUrl: config.CONTACT_URL,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      logger,
    }),
  );
  const policy = new RelationshipPolicy(contact, redis);
  const cutOffs = new CutOffs(redis, config.SOCKET_CUTOFF_SECONDS);
  const io = createSocketServer(redis, verify, cutOffs);
  const log = new ChatLog(store);
  const marks = new Marks(store, pending, outbox);
  const chatReader = new ChatReader(members, log, marks, reader);
  const notifier = new ChatNotifier(chatReader, io, logger);
  const markWriter = new MarkWriter(access, log, marks);
  const sender = new MessageSender({
    store,
    access,
    log,
    marks,
    policy,
    pending,
    outbox,
    metrics,
    reader,
    attachments: attachments.claims,
    rate: new SendRate(
      redis,
      { perSecond: config.MESSAGE_SENDS_PER_SECOND, burstPer10s: config.MESSAGE_SEND_BURST },
      logger,
    ),
  });
  const changes = new ChangeLog(store, pending, outbox);
  const hides = new HideLog(store);
  const messageChanges = new MessageChanges({
    store,
    access,
    changes,
    hides,
    reader,
    policy,
    io,
    editWindowMs: config.MESSAGE_EDIT_WINDOW_HOURS * 60 * 60 * 1000,
    discardAttachments: attachments.discard,
  });
  const presenceStore = new PresenceStore(redis, config.PRESENCE_TTL_SECONDS * 1000);
  const presence = new PresenceTracker({
    store: presenceStore,
    announcer: new PresenceAnnouncer(io, contact, logger),
    instanceId: config.INSTANCE_ID,
    ttlSeconds: config.PRESENCE_TTL_SECONDS,
    logger,
    registry,
  });
  const socketLimits = {
    eventsPerSecond: config.SOCKET_EVENTS_PER_SECOND,
    burst: config.SOCKET_EVENT_BURST,
    inFlight: config.SOCKET_EVENTS_IN_FLIGHT,
  };
  acceptConnections(io, {
    store,
    log,
    changes,
    hides,
    reader,
    sender,
    marks: markWriter,
    typing: new TypingRelay(access, members, io),
    syncGate: new SyncGate({
      running: config.SYNCS_AT_ONCE,
      waiting: config.SYNCS_WAITING,
      maxWaitMs: config.ACK_TIMEOUT_MS / 2,
    }),
    presence,
    metrics,
    logger,
    isRevoked,
    limits: socketLimits,
    // A user's sockets on one instance share twice what one socket may do (a phone and a laptop
    // both busy), however many they open.
    userBudgets: new UserBudgets({
      eventsPerSecond: 2 * socketLimits.eventsPerSecond,
      burst: 2 * socketLimits.burst,
      inFlight: 2 * socketLimits.inFlight,
    }),
    load: new InstanceLoad(config.INSTANCE_EVENTS_IN_FLIGHT),
    ackTimeoutMs: config.ACK_TIMEOUT_MS,
    refusalsBeforeCutOff: config.SOCKET_REFUSALS_BEFORE_CUTOFF,
    cutOffs,
    cutOffCount: metrics.socketCutOffs,
  });

  const slowConsumers = new SlowConsumerSweep(io, {
    maxQueuedBytes: config.SOCKET_MAX_QUEUED_BYTES,
    intervalMs: 2_000,
    cutOffCount: metrics.socketCutOffs,
    logger,
  });
  slowConsumers.start();
  backends.addCloser({
    name: 'slow-consumers',
    close: () => {
      slowConsumers.stop();
      return Promise.resolve();
    },
  });
  backends.addCloser({ name: 'outbox-wake', close: () => outbox.stop() });
  backends.addCloser({ name: 'log-relay', close: () => relay.stop() });
  backends.addCloser({ name: 'socket.io', close: () => io.close() });
  backends.addCloser({
    name: 'attachments',
    close: () => attachments.close(),
  });
  backends.addCloser({
    name: 'presence',
    close: () => {
      presence.stop();
      return Promise.resolve();
    },
  });

  return {
    routes: (app) => {
      app.use(
        '/api/v1',
        requireAuth(verify),
        chatRoutes({
          store,
          access,
          log,
          chatReader,
          creator: new ChatCreator(store, policy, notifier),
          membership: new Membership(store, members, policy, sender, notifier),
          admin: new GroupAdmin(store, members, sender, notifier),
        }),
        messageRoutes({ store, access, members, log, sender, marks, markWriter, reader }),
        changeRoutes(messageChanges, new Pins(store, access, reader)),
        presenceRoutes(presenceStore, contact),
        attachments.routes,
      );
    },
    readiness: backends.readiness,
    closers: backends.closers,
    attach: (server) => {
      io.attach(server);
    },
    // Sockets move to other instances; their presence follows them there.
    beforeClose: () => {
      io.local.disconnectSockets(true);
      return Promise.resolve();
    },
    started: async () => {
      relay.start();
      presence.start();
      const consumer = await startConsumer({
        kafka: backends.kafka,
        groupId: DELIVERY_GROUP,
        topics: [topics.message, topics.session],
        logger,
        registry,
        handleBatch: deliveryHandler({ io, redis, metrics, logger }),
        fromBeginning: false,
        // Live delivery of a dead instance's partitions resumes within seconds, not 30.
        sessionTimeoutMs: 6_000,
        // Partitions are independent chats: one slow emit must not hold up every other chat.
        partitionsConsumedConcurrently: topics.message.partitions,
      });
      backends.addConsumer(consumer);
    },
  };
}
