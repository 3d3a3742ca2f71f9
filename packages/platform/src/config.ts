import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Settings every service reads. Services extend this with their own. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  INSTANCE_ID: z.string().min(1).optional(),
  /** Replication factor of the topics a service creates when they are missing (3 in production). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
});

export const urlList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)).min(1));

/**
 * Reads and validates configuration from the environment. A missing or malformed variable is a
 * ConfigError naming every offending variable, so the process can stop with one clear message.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const received = env[String(issue.path[0])];
    return received === undefined ? `${name}: is required` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Settings for the stores a service uses; services pick the ones they need. */
export const backendConfig = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  KAFKA_BROKERS: urlList,
  MONGO_URL: z.url({ protocol: /^mongodb(\+srv)?$/ }),
};

/** Settings of every service that verifies access tokens. */
export const tokenConfig = {
  JWKS_URL: z.url(),
  JWT_ISSUER: z.string().min(1).default('messenger'),
  JWT_AUDIENCE: z.string().min(1).default('messenger-api'),
};
