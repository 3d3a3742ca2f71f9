import { z } from 'zod';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** NFKC, so the same password typed on different keyboards hashes the same (NIST 800-63B). */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Length in Unicode code points, as NIST 800-63B counts it. */
function lengthOf(password: string): number {
  return Array.from(password).length;
}

/** A password as the login form takes it: any string up to the maximum, normalised. */
export const loginPasswordSchema = z
  .string()
  .min(1)
  .refine((value) => lengthOf(value) <= PASSWORD_MAX, `At most ${PASSWORD_MAX} characters`)
  .transform(normalizePassword);

/**
 * A new password: 8–128 characters (Unicode code points), not on the common-password list, and
 * not the account's own email or nickname.
 */
export function newPasswordIssues(
  password: string,
  common: ReadonlySet<string>,
  context: { email: string; nickname: string },
): string | undefined {
  const length = lengthOf(password);
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (common.has(lower)) return 'This password is too common; choose another';
  const localPart = context.email.toLowerCase().split('@')[0];
  if (lower === context.email.toLowerCase() || lower === localPart || lower === context.nickname)
    return 'The password must not be your email or nickname';
  return undefined;
}
