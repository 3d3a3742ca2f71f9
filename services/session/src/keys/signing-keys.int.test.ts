import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { createLogger, migrate, migrationsDirOf } from '@messenger/platform';
import { createTestDatabase } from '@messenger/testkit/stack';
import { KeySealer } from './key-sealing.js';
import { SigningKeys } from './signing-keys.js';

const HOUR = 60 * 60 * 1000;
const policy = { rotationMs: HOUR, publishLeadMs: 15 * 60 * 1000, retainMs: 16 * 60 * 1000 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;

before(async () => {
  database = await createTestDatabase('session_keys');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(
    pool,
    { session: migrationsDirOf(join(__dirname, '..')) },
    createLogger('session-test', 'silent'),
  );
});

after(async () => {
  await pool.end();
  await database.drop();
});

async function signWith(keys: SigningKeys): Promise<string> {
  const key = keys.current();
  return new SignJWT({ sid: 's' })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setExpirationTime('15m')
    .sign(key.privateKey);
}

async function shiftActivation(kid: string, interval: string): Promise<void> {
  await pool.query(`UPDATE signing_keys SET activates_at = now() - $2::interval WHERE kid = $1`, [
    kid,
    interval,
  ]);
}

test('keys rotate without invalidating tokens: published first, retired after their tokens', async () => {
  const keys = new SigningKeys(pool, new KeySealer(randomBytes(32).toString('base64')), policy);
  await keys.reload();
  const first = keys.current();
  await keys.reload();
  assert.equal(keys.jwks().keys.length, 1, 'a young key is not rotated');
  const oldToken = await signWith(keys);

  await shiftActivation(first.kid, '2 hours');
  await keys.reload();
  assert.equal(keys.jwks().keys.length, 2, 'the successor is published before it signs');
  assert.equal(keys.current().kid, first.kid);

  const successor = keys.jwks().keys.find((key) => key.kid !== first.kid)?.kid ?? '';
  await shiftActivation(successor, '1 minute');
  await keys.reload();
  assert.equal(keys.current().kid, successor);
  const jwks = createLocalJWKSet(keys.jwks());
  await jwtVerify(oldToken, jwks);
  await jwtVerify(await signWith(keys), jwks);

  await shiftActivation(successor, '17 minutes');
  await keys.reload();
  assert.deepEqual(
    keys.jwks().keys.map((key) => key.kid),
    [successor],
    'the old key goes once its last token has expired',
  );
});

test('private keys are stored sealed and need the secret to be used', async () => {
  await pool.query('DELETE FROM signing_keys');
  const secret = randomBytes(32).toString('base64');
  const keys = new SigningKeys(pool, new KeySealer(secret), policy);
  await keys.reload();
  const { rows } = await pool.query<{ private_key: string }>(
    'SELECT private_key FROM signing_keys',
  );
  for (const row of rows) {
    assert.match(row.private_key, /^aes256gcm:/);
    assert.doesNotMatch(
      Buffer.from(row.private_key.slice(10), 'base64').toString('latin1'),
      /PRIVATE KEY/,
    );
  }
  await new SigningKeys(pool, new KeySealer(secret), policy).reload();
  await assert.rejects(
    new SigningKeys(pool, new KeySealer(undefined), policy).reload(),
    /SIGNING_KEY_ENCRYPTION_KEY/,
  );
  const wrong = randomBytes(32).toString('base64');
  await assert.rejects(new SigningKeys(pool, new KeySealer(wrong), policy).reload());
});

test('concurrent rotation requests from several pods schedule exactly one successor', async () => {
  const rounds = Number(process.env['RACE_ROUNDS'] ?? 0) || 25;
  const secret = randomBytes(32).toString('base64');
  const wide = new pg.Pool({ connectionString: database.url, max: 12 });
  const pods = Array.from(
    { length: 3 },
    () => new SigningKeys(wide, new KeySealer(secret), policy),
  );
  for (let round = 0; round < rounds; round++) {
    await pool.query('DELETE FROM signing_keys');
    await pods[0]!.reload();
    await shiftActivation(pods[0]!.current().kid, '2 hours');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => pods[i % pods.length]!.rotate(HOUR)),
    );
    assert.equal(answers.filter((answer) => answer.rotated).length, 1, `round ${round}`);
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM signing_keys WHERE activates_at > now()',
    );
    assert.equal(Number(rows[0]?.n), 1, `round ${round}: scheduled successors`);
    for (const answer of answers) {
      assert.equal(answer.keys.filter((key) => key.state === 'next').length, 1, `round ${round}`);
    }
  }
  await wide.end();
});
