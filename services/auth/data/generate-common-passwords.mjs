#!/usr/bin/env node
// Regenerates common-passwords.txt: the 10,000 most common passwords that the length rule alone
// would accept (8–128 characters), lower-cased, in frequency order. Source: the ranked password
// dictionary of @zxcvbn-ts/language-common (a devDependency of this service), which is itself
// built from public password-leak frequency lists.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 10_000;
const require = createRequire(import.meta.url);
const ranked = require('@zxcvbn-ts/language-common/src/passwords.json');
const { version } = require('@zxcvbn-ts/language-common/package.json');

const chosen = [];
const seen = new Set();
for (const entry of ranked) {
  const password = String(entry).toLowerCase();
  const length = [...password].length;
  if (length < 8 || length > 128 || seen.has(password)) continue;
  seen.add(password);
  chosen.push(password);
  if (chosen.length === LIMIT) break;
}
const header = `# ${chosen.length} most common passwords of 8+ characters, from @zxcvbn-ts/language-common ${version}; regenerate with generate-common-passwords.mjs\n`;
writeFileSync(join(import.meta.dirname, 'common-passwords.txt'), header + chosen.join('\n') + '\n');
console.log(`wrote ${chosen.length} passwords`);
