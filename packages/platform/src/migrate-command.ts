import { z } from 'zod';
import { backendConfig, ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createPgPool, migrate, platformMigrationsDir } from './postgres.js';

/**
 * The body of a service's `migrate` entry point (run by the chart's init container before the
 * service starts): applies the platform's and the service's migrations, then exits.
 */
export async function migrateAndExit(service: string, migrationsDir: string): Promise<never> {
  const logger = createLogger(service, process.env['LOG_LEVEL'] ?? 'info');
  try {
    const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: backendConfig.DATABASE_URL }));
    const pool = createPgPool(DATABASE_URL, logger, 1);
    try {
      const applied = await migrate(
        pool,
        { platform: platformMigrationsDir, [service]: migrationsDir },
        logger,
      );
      logger.info({ applied: applied.length }, 'migrations done');
    } finally {
      await pool.end();
    }
    process.exit(0);
  } catch (error) {
    if (error instanceof ConfigError)
      process.stderr.write(`${service} migrate: ${error.message}\n`);
    else logger.fatal({ err: error }, 'migrations failed');
    process.exit(1);
  }
}
