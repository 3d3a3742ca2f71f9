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
  /**
   * How many proxies in front of this process append to X-Forwarded-For (the client address is
   * the one that many hops back). Services sit behind the gateway (1; 2 behind an ingress too).
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(1),
  /** Replication factor of the topics a service creates when they are missing (3 in production). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  /** false where the operator owns the topics (the chart): start-up only checks they exist. */
  KAFKA_CREATE_TOPICS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
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
    return received === undefined && issue.code !== 'custom'
      ? `${name}: is required`
      : `${name}: ${issue.message}`;
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

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/** SASL credentials of every Kafka client of a service (producers, consumers, admin, lag reader). */
export interface KafkaSasl {
  mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
  username: string;
  password: string;
}

/** An unset or empty variable: the chart and shells both write empty values. */
const optionalSetting = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const SASL_VARIABLES = [
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
] as const;

/**
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: all three (SASL on every
 * connection) or none (plaintext, as the local stack runs). A partial set names what is missing.
 */
export const kafkaSaslSchema = z
  .object({
    KAFKA_SASL_MECHANISM: optionalSetting(
      z.string().toLowerCase().pipe(z.enum(KAFKA_SASL_MECHANISMS)),
    ),
    KAFKA_SASL_USERNAME: optionalSetting(z.string()),
    KAFKA_SASL_PASSWORD: optionalSetting(z.string()),
  })
  .superRefine((settings, context) => {
    const set = SASL_VARIABLES.filter((name) => settings[name] !== undefined);
    if (set.length === 0 || set.length === SASL_VARIABLES.length) return;
    for (const name of SASL_VARIABLES) {
      if (settings[name] !== undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (all three KAFKA_SASL_* or none)`,
      });
    }
  })
  .transform((settings): KafkaSasl | undefined =>
    settings.KAFKA_SASL_MECHANISM && settings.KAFKA_SASL_USERNAME && settings.KAFKA_SASL_PASSWORD
      ? {
          mechanism: settings.KAFKA_SASL_MECHANISM,
          username: settings.KAFKA_SASL_USERNAME,
          password: settings.KAFKA_SASL_PASSWORD,
        }
      : undefined,
  );

/** The Kafka SASL settings of the environment, undefined when none is set; a ConfigError otherwise. */
export function loadKafkaSasl(env: NodeJS.ProcessEnv = process.env): KafkaSasl | undefined {
  return loadConfig(kafkaSaslSchema, env);
}
