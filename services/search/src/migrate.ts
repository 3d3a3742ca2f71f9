// Entry point of the chart's migration init container: apply migrations, then exit.
import { migrateAndExit, migrationsDirOf } from '@messenger/platform';

void migrateAndExit('search', migrationsDirOf(__dirname));
