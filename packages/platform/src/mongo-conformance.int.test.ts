/**
 * What the code may rely on from the MongoDB-compatible store that runs (a real mongod, or
 * FerretDB v1 in the local stack):
 *   - an insert against a unique index (on `_id` or a compound secondary one) is atomic: of many
 *     concurrent inserts of one key exactly one is stored, the others fail with E11000;
 *   - a delete by `_id` racing an insert of that `_id` ends in a state one order of the two
 *     explains;
 *   - concurrent updates of one document are NOT safe on FerretDB v1: it reads the document,
 *     applies the operators in its own process and writes the whole document back, so an update
 *     can undo another. The test counts the losses and reports them; it fails on a loss only
 *     when the server is a real mongod, where there must be none.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Collection, Db } from 'mongodb';
import { connectMongo, isDuplicateKeyError, type mongoose } from './mongo.js';
import { createLogger } from './logger.js';
import { testMongoUrl } from '@messenger/testkit/stack';

const ROUNDS = 100;
const RACERS = 10;
const UPDATE_TRIALS = 100;

let connection: mongoose.Connection;
let db: Db;
let ferretdb: string | undefined;

before(async () => {
  connection = await connectMongo(testMongoUrl('conformance'), createLogger('test', 'silent'));
  const native = connection.db;
  if (!native) throw new Error('mongoose connection has no database');
  db = native;
  const info = await db.admin().command({ buildInfo: 1 });
  ferretdb = typeof info['ferretdbVersion'] === 'string' ? info['ferretdbVersion'] : undefined;
});

after(async () => {
  await connection.dropDatabase();
  await connection.close();
});

function server(): string {
  return ferretdb ? `FerretDB ${ferretdb}` : 'mongod';
}

/** Runs the racers at once; returns how many succeeded, after checking the rest hit E11000. */
async function race(racers: (() => Promise<unknown>)[]): Promise<number> {
  const results = await Promise.allSettled(racers.map((run) => run()));
  let stored = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') stored += 1;
    else assert.ok(isDuplicateKeyError(result.reason), `expected E11000, got ${result.reason}`);
  }
  return stored;
}

test('concurrent inserts of one _id store exactly one document', async () => {
  const docs: Collection<{ _id: string; racer: number }> = db.collection('unique_id');
  for (let round = 0; round < ROUNDS; round++) {
    const _id = `k${round}`;
    const racers = Array.from(
      { length: RACERS },
      (_, racer) => () => docs.insertOne({ _id, racer }),
    );
    assert.equal(await race(racers), 1, `round ${round}: inserts that succeeded`);
    assert.equal(await docs.countDocuments({ _id }), 1, `round ${round}: documents stored`);
  }
});

test('concurrent inserts of one key of a unique compound index store exactly one', async () => {
  const docs: Collection = db.collection('unique_compound');
  await docs.createIndexes([{ key: { chatId: 1, senderId: 1, clientMsgId: 1 }, unique: true }]);
  for (let round = 0; round < ROUNDS; round++) {
    const key = { chatId: `c${round % 7}`, senderId: `s${round % 3}`, clientMsgId: `m${round}` };
    const racers = Array.from(
      { length: RACERS },
      (_, racer) => () => docs.insertOne({ ...key, racer }),
    );
    assert.equal(await race(racers), 1, `round ${round}: inserts that succeeded`);
    assert.equal(await docs.countDocuments(key), 1, `round ${round}: documents stored`);
  }
});

test('concurrent updates of one document: lost updates are counted', async (t: TestContext) => {
  interface Doc {
    _id: number;
    members: string[];
    readUpTo: number;
    deliveredUpTo: number;
  }
  const docs: Collection<Doc> = db.collection('updates');
  let lost = 0;
  const kinds = { pullAll: 0, maxRead: 0, maxDelivered: 0 };
  for (let trial = 0; trial < UPDATE_TRIALS; trial++) {
    await docs.insertOne({ _id: trial, members: ['a', 'b', 'c'], readUpTo: 0, deliveredUpTo: 0 });
    await Promise.all([
      docs.updateOne({ _id: trial }, { $pullAll: { members: ['b'] } }),
      docs.updateOne({ _id: trial }, { $max: { readUpTo: 5 } }),
      docs.updateOne({ _id: trial }, { $max: { deliveredUpTo: 7 } }),
    ]);
    const doc = await docs.findOne({ _id: trial });
    assert.ok(doc, `trial ${trial}: the document is gone`);
    const pulled = doc.members.join() === 'a,c';
    const read = doc.readUpTo === 5;
    const delivered = doc.deliveredUpTo === 7;
    if (!pulled) kinds.pullAll += 1;
    if (!read) kinds.maxRead += 1;
    if (!delivered) kinds.maxDelivered += 1;
    if (!(pulled && read && delivered)) lost += 1;
  }
  const report =
    `${server()}: ${lost}/${UPDATE_TRIALS} trials lost an update ` +
    `($pullAll lost ${kinds.pullAll}, $max readUpTo ${kinds.maxRead}, ` +
    `$max deliveredUpTo ${kinds.maxDelivered})`;
  t.diagnostic(report);
  console.log(`[mongo-conformance] ${report}`);
  if (!ferretdb) assert.equal(lost, 0, report);
});

test('a delete by _id racing an insert of that _id ends consistently', async () => {
  const docs: Collection<{ _id: string; v: string }> = db.collection('delete_insert');
  for (let round = 0; round < ROUNDS; round++) {
    for (const existing of [false, true]) {
      const _id = `r${round}${existing ? 'e' : 'n'}`;
      if (existing) await docs.insertOne({ _id, v: 'old' });
      const [inserted, deleted] = await Promise.allSettled([
        docs.insertOne({ _id, v: 'new' }),
        docs.deleteOne({ _id }),
      ]);
      assert.ok(deleted.status === 'fulfilled', `round ${round}: the delete failed`);
      const { deletedCount } = deleted.value;
      if (inserted.status === 'rejected') {
        assert.ok(isDuplicateKeyError(inserted.reason), `round ${round}: ${inserted.reason}`);
      }
      const insertOk = inserted.status === 'fulfilled';
      const after = await docs.findOne({ _id });
      const state = `existing=${existing} insert=${insertOk ? 'ok' : 'E11000'} deleted=${deletedCount} now=${after?.v ?? 'absent'}`;
      // The orders that explain each outcome:
      //   none before: insert, delete -> deleted 1, absent; delete, insert -> deleted 0, 'new'.
      //   'old' before: insert fails, delete -> deleted 1, absent;
      //                 delete, insert -> deleted 1, 'new'.
      const allowed = existing
        ? [
            'existing=true insert=E11000 deleted=1 now=absent',
            'existing=true insert=ok deleted=1 now=new',
          ]
        : [
            'existing=false insert=ok deleted=1 now=absent',
            'existing=false insert=ok deleted=0 now=new',
          ];
      assert.ok(allowed.includes(state), `round ${round}: ${state}`);
    }
  }
});
