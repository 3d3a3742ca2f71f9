import { randomBytes, randomInt } from 'node:crypto';

const MIN = 3;
const MAX = 32;

/** Lower-case ASCII of `a-z 0-9 _ .`: accents dropped, anything else becomes `_`. */
function slug(text: string | undefined): string | undefined {
  const cleaned = text
    ?.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '')
    .slice(0, MAX);
  return cleaned && cleaned.length >= MIN ? cleaned : undefined;
}

/**
 * Nicknames to try, in order, for a user who signs up with Google: one from their name (or
 * the email's local part), then that with random digits, then a random one.
 */
export function nicknameCandidates(name: string | undefined, email: string): string[] {
  const base = slug(name) ?? slug(email.split('@')[0]) ?? 'user';
  const stem = base.slice(0, MAX - 5);
  const numbered = Array.from({ length: 4 }, () => `${stem}_${randomInt(1000, 10_000)}`);
  return [base, ...numbered, `user_${randomBytes(8).toString('hex')}`];
}
