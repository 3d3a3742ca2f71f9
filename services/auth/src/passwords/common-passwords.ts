import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIST = join(__dirname, '..', '..', 'data', 'common-passwords.txt');

/** The shipped list of the most common passwords (data/common-passwords.txt), lower-cased. */
export function loadCommonPasswords(path = LIST): ReadonlySet<string> {
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
}
