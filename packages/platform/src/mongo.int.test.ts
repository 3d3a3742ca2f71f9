import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, Model } from 'mongoose';
import { connectMongo, isDuplicateKeyError, mongoose } from './mongo.js';
import { testMongoUrl } from '@messenger/testkit/stack';
import { logger } from '@messenger/testkit/kafka';

interface Note {
  slug: string;
  text: string;
}

let connection: Connection;
let Notes: Model<Note>;

before(async () => {
  connection = await connectMongo(testMongoUrl('platform'), logger);
  const schema = new mongoose.Schema<Note>({
    slug: { type: String, required: true },
    text: String,
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
