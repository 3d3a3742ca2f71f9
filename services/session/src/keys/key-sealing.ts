import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'aes256gcm:';
const PLAIN = 'plain:';

/**
 * Seals private signing keys at rest with AES-256-GCM (the key id as associated data, so a
 * sealed key cannot be swapped onto another row). Without a configured secret keys are stored
 * marked `plain:`, which the service warns about at start-up.
 */
export class KeySealer {
  private readonly secret: Buffer | undefined;

  constructor(base64Secret: string | undefined) {
    this.secret = base64Secret ? Buffer.from(base64Secret, 'base64') : undefined;
  }

  get sealing(): boolean {
    return this.secret !== undefined;
  }

  seal(kid: string, pem: string): string {
    if (!this.secret) return PLAIN + Buffer.from(pem).toString('base64');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secret, iv);
    cipher.setAAD(Buffer.from(kid));
    const body = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(kid: string, stored: string): string {
    if (stored.startsWith(PLAIN))
      return Buffer.from(stored.slice(PLAIN.length), 'base64').toString();
    if (!stored.startsWith(SEALED)) throw new Error(`signing key ${kid} has an unknown format`);
    if (!this.secret)
      throw new Error(`signing key ${kid} is sealed; SIGNING_KEY_ENCRYPTION_KEY is required`);
    const raw = Buffer.from(stored.slice(SEALED.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.secret, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
