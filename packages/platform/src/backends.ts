import { join } from 'node:path';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { allTopics } from '@messenger/contracts';
import type { Closer } from './lifecycle.js';
import type { ReadinessChecks } from './http/health.js';
import type { ServiceContext } from './service.js';
import { createPgPool, migrate, platformMigrationsDir } from './postgres.js';
import { createRedis } from './redis.js';
import { connectMongo } from './mongo.js';
import { connectProducer, createKafka, ensureTopics } from './kafka/client.js';

export interface BackendSettings {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  KAFKA_BROKERS?: string[];
  MONGO_URL?: string;
  KAFKA_REPLICATION_FACTOR?: number;
  KAFKA_CREATE_TOPICS?: boolean;
}

/**
 * The stores and clients one service uses, connected once, each with its readiness probe and
 * its place in the shutdown order. Consumers added later are closed before the producer.
 */
export class Backends {
  readonly readiness: ReadinessChecks = {};
  readonly closers: Closer[] = [];
  private pgPool: pg.Pool | undefined;
  private redisClient: Redis | undefined;
  private kafkaClient: Kafka | undefined;
  private kafkaProducer: Producer | undefined;
  private mongoConnection: Connection | undefined;

  private constructor(private readonly context: ServiceContext<BackendSettings>) {}

  static async connect(
    context: ServiceContext<BackendSettings>,
    options: { migrationsDir?: string } = {},
  ): Promise<Backends> {
    const backends = new Backends(context);
    const { config, logger, name } = context;
    if (config.DATABASE_URL) {
      const pool = createPgPool(config.DATABASE_URL, logger);
      backends.pgPool = pool;
      backends.readiness['postgres'] = () => pool.query('SELECT 1');
      backends.closers.push({ name: 'postgres', close: () => pool.end() });
      const folders: Record<string, string> = { platform: platformMigrationsDir };
      if (options.migrationsDir) folders[name] = options.migrationsDir;
      await migrate(pool, folders, logger);
    }
    if (config.REDIS_URL) {
      const redis = createRedis(config.REDIS_URL, logger);
      backends.redisClient = redis;
      backends.readiness['redis'] = () => redis.ping();
      backends.closers.push({ name: 'redis', close: () => redis.quit() });
    }
    if (config.MONGO_URL) {
      const connection = await connectMongo(config.MONGO_URL, logger, context.registry);
      backends.mongoConnection = connection;
      backends.readiness['mongo'] = () =>
        connection.db?.admin().ping() ?? Promise.reject(new Error('not connected'));
      backends.closers.push({ name: 'mongo', close: () => connection.close() });
    }
    if (config.KAFKA_BROKERS) {
      const kafka = createKafka(name, config.KAFKA_BROKERS, logger);
      await ensureTopics(
        kafka,
        allTopics,
        config.KAFKA_REPLICATION_FACTOR ?? 1,
        config.KAFKA_CREATE_TOPICS ?? true,
      );
      const producer = await connectProducer(kafka);
      backends.kafkaClient = kafka;
      backends.kafkaProducer = producer;
      backends.closers.push({ name: 'kafka-producer', close: () => producer.disconnect() });
      const admin = kafka.admin();
      await admin.connect();
      backends.readiness['kafka'] = () => admin.describeCluster();
      backends.closers.push({ name: 'kafka-admin', close: () => admin.disconnect() });
    }
    return backends;
  }

  /** Registers a consumer so it stops before the clients it depends on. */
  addConsumer(consumer: Consumer): void {
    this.closers.push({ name: 'kafka-consumer', close: () => consumer.disconnect() });
  }

  addCloser(closer: Closer): void {
    this.closers.push(closer);
  }

  get pool(): pg.Pool {
    return required(this.pgPool, 'DATABASE_URL');
  }

  get redis(): Redis {
    return required(this.redisClient, 'REDIS_URL');
  }

  get kafka(): Kafka {
    return required(this.kafkaClient, 'KAFKA_BROKERS');
  }

  get producer(): Producer {
    return required(this.kafkaProducer, 'KAFKA_BROKERS');
  }

  get mongo(): Connection {
    return required(this.mongoConnection, 'MONGO_URL');
  }
}

function required<T>(value: T | undefined, variable: string): T {
  if (value === undefined) throw new Error(`this service was configured without ${variable}`);
  return value;
}

/** The `migrations` folder beside a service's `src`/`dist`. */
export function migrationsDirOf(moduleDir: string): string {
  return join(moduleDir, '..', 'migrations');
}
