import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import type { SigningKeyRotation } from '@messenger/contracts';
import { withTransaction, type Pool, type PoolClient } from '@messenger/platform';
import type { KeySealer } from './key-sealing.js';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
  activatesAt: number;
}

export interface SigningKeyPolicy {
  /** The active key is replaced after it has signed this long. */
  rotationMs: number;
  /** A new key is published this long before it starts signing, so verifiers know it first. */
  publishLeadMs: number;
  /** A replaced key stays published this long: the access-token lifetime plus clock skew. */
  retainMs: number;
}

/**
 * When the successor of the newest key should start signing, or undefined when it needs none
 * yet: a key signs for `rotationMs`, and its successor is published `publishLeadMs` before it
 * signs (later when asked late, never sooner than the lead from now). A newest key that does not
 * sign yet is the scheduled successor.
 */
export function successorActivation(
  newestActivatesAt: number,
  now: number,
  rotationMs: number,
  policy: Pick<SigningKeyPolicy, 'publishLeadMs'>,
): number | undefined {
  if (newestActivatesAt > now) return undefined;
  const due = newestActivatesAt + rotationMs;
  if (now < due - policy.publishLeadMs) return undefined;
  return Math.max(due, now + policy.publishLeadMs);
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_key: string;
  activates_at: Date;
}

/** Serialises key creation between pods. */
const KEY_LOCK_ID = 7_041_990;

/**
 * The Ed25519 keys that sign access tokens, shared by every pod through Postgres. `reload`
 * creates the first key, schedules the next one when the active key is due for rotation (on the
 * service's own period), and drops keys whose tokens have all expired; pods call it periodically
 * to see each other's keys. `rotate` does the same on a period the caller names.
 */
export class SigningKeys {
  private keys: SigningKey[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly sealer: KeySealer,
    private readonly policy: SigningKeyPolicy,
  ) {}

  async reload(): Promise<void> {
    await this.refresh(this.policy.rotationMs);
  }

  /**
   * Schedules the successor of the active key when it is due within the publish lead of a key
   * that signs for `rotationMs` (the operator's `spec.auth.keyRotationPeriod`); nothing when a
   * successor is scheduled already or the key is young, so repeating a call changes nothing.
   */
  async rotate(rotationMs: number): Promise<SigningKeyRotation> {
    const rotated = await this.refresh(rotationMs);
    const now = Date.now();
    const active = this.keys.filter((key) => key.activatesAt <= now).at(-1);
    return {
      rotated,
      keys: this.keys.map((key) => ({
        kid: key.kid,
        activatesAt: new Date(key.activatesAt).toISOString(),
        state: key.activatesAt > now ? 'next' : key === active ? 'active' : 'retired',
      })),
    };
  }

  /** Drops expired keys, creates the first or the due successor; true when it created one. */
  private async refresh(rotationMs: number): Promise<boolean> {
    let created = false;
    const rows = await withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK_ID]);
      await client.query(
        `DELETE FROM signing_keys old WHERE EXISTS (
           SELECT 1 FROM signing_keys newer WHERE newer.activates_at > old.activates_at
             AND newer.activates_at <= now() - make_interval(secs => $1))`,
        [this.policy.retainMs / 1000],
      );
      const found = await this.rows(client);
      const newest = found.at(-1);
      const now = Date.now();
      const activatesAt = newest
        ? successorActivation(newest.activates_at.getTime(), now, rotationMs, this.policy)
        : now;
      if (activatesAt === undefined) return found;
      await this.create(client, new Date(activatesAt));
      created = true;
      return this.rows(client);
    });
    this.keys = rows.map((row) => ({
      kid: row.kid,
      privateKey: createPrivateKey(this.sealer.open(row.kid, row.private_key)),
      publicJwk: row.public_jwk,
      activatesAt: row.activates_at.getTime(),
    }));
    return created;
  }

  /** The key that signs now: the newest one already active. */
  current(): SigningKey {
    const now = Date.now();
    const active = this.keys.filter((key) => key.activatesAt <= now).at(-1);
    if (!active) throw new Error('no active signing key; reload() has not run');
    return active;
  }

  /** Every published public key: the active one, a scheduled successor, recently replaced ones. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  private async rows(client: PoolClient): Promise<KeyRow[]> {
    const result = await client.query<KeyRow>(
      'SELECT kid, public_jwk, private_key, activates_at FROM signing_keys ORDER BY activates_at, kid',
    );
    return result.rows;
  }

  private async create(client: PoolClient, activatesAt: Date): Promise<void> {
    const kid = randomUUID();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await client.query(
      'INSERT INTO signing_keys (kid, public_jwk, private_key, activates_at) VALUES ($1, $2, $3, $4)',
      [kid, publicJwk, this.sealer.seal(kid, pem), activatesAt],
    );
  }
}
