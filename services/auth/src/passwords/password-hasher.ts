import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** argon2id at OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). */
const OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes and checks passwords. `verifyNothing` spends the same work as a real check against a
 * hash of a random secret, so an unknown account answers as slowly as a wrong password.
 */
export class PasswordHasher {
  private constructor(private readonly dummyHash: string) {}

  static async create(): Promise<PasswordHasher> {
    const secret = randomBytes(32).toString('base64');
    return new PasswordHasher(await argon2.hash(secret, OPTIONS));
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  async verifyNothing(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, OPTIONS);
  }
}
