/** Paths of the programs tests start as child processes. */
import { join } from 'node:path';

export const writeThenDieScript = join(__dirname, 'write-then-die.ts');
