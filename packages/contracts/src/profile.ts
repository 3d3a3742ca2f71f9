import { z } from 'zod';

/**
 * A nickname as users type it: 3–32 of `a-z 0-9 _ .`, upper-case letters accepted and
 * lower-cased, so `Ada.L` and `ada.l` are the same nickname everywhere (auth, profile, contact).
 */
export const nicknameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.]{3,32}$/, 'Use 3–32 characters of a-z, 0-9, _ and .')
  .transform((nickname) => nickname.toLowerCase());
