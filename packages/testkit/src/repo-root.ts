import { join } from 'node:path';

/** The repository's root: tests start services from its source tree. */
export const repoRoot = join(__dirname, '..', '..', '..');
