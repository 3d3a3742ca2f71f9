import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, Model } from 'mongoose';
import type { Consumer, Producer } from 'kafkajs';
import { allTopics, type Envelope } from '@messenger/contracts';
import { connectMongo, isDuplicateKeyError, mongoose } from './mongo.js';
import { createRegistry } from './metrics.js';
import { eventually, testMongoUrl, uniqueName } from './testing.js';
import { ensureTopics } from './kafka/client.js';
import {
  MongoOutboxRelay,
  mongoOutboxEntry,
  mongoOutboxField,
  type MongoOutboxEntry,
} from './kafka/mongo-outbox.js';
import {
  connectProducer,
  consumeOwnEvents,
  kafka,
  logger,
} from './kafka/fixtures/kafka-harness.js';

interface Note {
  slug: string;
  text: string;
  outbox?: MongoOutboxEntry[];
}

let connection: Connection;
let Notes: Model<Note>;

before(async () => {
  connection = await connectMongo(testMongoUrl('platform'), logger);
  const schema = new mongoose.Schema<Note>({
    slug: { type: String, required: true },
    text: String,
    outbox: mongoOutboxField,
  });
  schema.index({ slug: 1 }, { unique: true });
  Notes = connection.model<Note>('Note', schema);
  await Notes.init();
});

after(async () => {
  await connection.dropDatabase();
  await connection.close();
});

test('documents are created, read, updated and deleted', async () => {
  await Notes.create({ slug: 'a', text: 'first' });
  assert.equal((await Notes.findOne({ slug: 'a' }).lean())?.text, 'first');
  await Notes.updateOne({ slug: 'a' }, { $set: { text: 'second' } });
  assert.equal((await Notes.findOne({ slug: 'a' }).lean())?.text, 'second');
  await Notes.deleteOne({ slug: 'a' });
  assert.equal(await Notes.countDocuments({ slug: 'a' }), 0);
});

test('a unique index violation surfaces as a duplicate-key error', async () => {
  await Notes.create({ slug: 'dup', text: 'one' });
  const error = await Notes.create({ slug: 'dup', text: 'two' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(isDuplicateKeyError(error), `expected E11000, got ${String(error)}`);
  assert.equal(isDuplicateKeyError(new Error('other')), false);
  assert.equal(await Notes.countDocuments({ slug: 'dup' }), 1);
});

test('an event written in the same document write is relayed once, by one leader', async () => {
  await ensureTopics(kafka, allTopics);
  const producer: Producer = await connectProducer(kafka);
  const producerName = uniqueName('mongo-outbox');
  const received: Envelope[] = [];
  const consumer: Consumer = await consumeOwnEvents(producerName, (envelope) => {
    received.push(envelope);
    return Promise.resolve();
  });
  const relays = [1, 2].map(
    (n) =>
      new MongoOutboxRelay({
        connection,
        collections: [Notes.collection.name],
        producer,
        logger,
        registry: createRegistry(`m${n}`),
        name: producerName,
        intervalMs: 20,
      }),
  );
  try {
    const slugs = ['e1', 'e2', 'e3', 'e4', 'e5'];
    for (const slug of slugs) {
      await Notes.create({
        slug,
        text: 'x',
        outbox: [
          mongoOutboxEntry(producerName, { type: 'user.created', key: slug, data: { slug } }),
        ],
      });
    }
    for (const relay of relays) relay.start();
    await eventually(
      () => (received.length >= slugs.length ? true : undefined),
      30_000,
      'five events',
    );
    await eventually(
      async () =>
        (await Notes.countDocuments({ 'outbox.0': { $exists: true } })) === 0 ? true : undefined,
      5_000,
      'the outbox to drain',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(received.map((envelope) => envelope.data['slug']).sort(), slugs);
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    await consumer.disconnect();
    await producer.disconnect();
  }
});
