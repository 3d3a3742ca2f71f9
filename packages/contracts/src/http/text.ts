import { z } from 'zod';

/** Control characters, lone surrogates and noncharacters (U+FFFE, U+10FFFF, ...). */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;
const UNPRINTABLE_EXCEPT_LINES = /(?![\n\t])[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** Lengths count code points, as Postgres' char_length and JSON Schema's maxLength do. */
const atMost = (max: number) => (text: string) => Array.from(text).length <= max;

/** One line of text a person typed: no control characters, at most `max` code points. */
export const lineText = (max: number) =>
  z
    .string()
    .refine(atMost(max), `At most ${max} characters`)
    .refine((text) => !UNPRINTABLE.test(text), 'Control characters are not allowed')
    .meta({ maxLength: max });

/** Text that may span lines (tabs and line breaks allowed), at most `max` code points. */
export const multilineText = (max: number) =>
  z
    .string()
    .refine(atMost(max), `At most ${max} characters`)
    .refine((text) => !UNPRINTABLE_EXCEPT_LINES.test(text), 'Control characters are not allowed')
    .meta({ maxLength: max });

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An `https://` URL of at most 2048 characters. */
export const httpsUrlSchema = z
  .string()
  .max(2048)
  .refine(isHttpsUrl, 'Must be an https:// URL')
  .meta({ format: 'uri', pattern: '^https://' });

export const timeSchema = z.iso.datetime();
