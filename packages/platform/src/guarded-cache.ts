import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';

/**
 * Fills `value` only when the entry's generation is still the one the reader saw before it went
 * to the database; otherwise an invalidation happened meanwhile and the loaded data may be old.
 */
const FILL_IF_UNCHANGED = `
local gen = redis.call('HGET', KEYS[1], 'gen') or ''
if gen ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const lookupCounters = new WeakMap<Registry, Counter<'cache' | 'result'>>();

function lookupCounter(registry: Registry): Counter<'cache' | 'result'> {
  let counter = lookupCounters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'cache_lookups_total',
      help: 'Cache lookups by cache and result (hit, miss)',
      labelNames: ['cache', 'result'] as const,
      registers: [registry],
    });
    lookupCounters.set(registry, counter);
  }
  return counter;
}

export interface GuardedCacheOptions {
  redis: Redis;
  /** Key prefix and the `cache` metric label. */
  name: string;
  ttlMs: number;
  logger: Logger;
  registry: Registry;
}

/**
 * A read-through Redis cache whose fills cannot bring back data older than the last
 * invalidation. Each entry is a hash `{gen, value}`. A writer, after its commit, bumps `gen` and
 * drops `value`; a reader that missed remembers `gen`, loads from the database and fills only if
 * `gen` has not moved. So a reader that loaded the old row just before an update committed cannot
 * repopulate the cache after that update's invalidation, and a read that starts after an update's
 * response always sees the update.
 */
export class GuardedCache<T> {
  private readonly lookups: Counter<'cache' | 'result'>;

  constructor(private readonly options: GuardedCacheOptions) {
    this.lookups = lookupCounter(options.registry);
  }

  /** Values for `ids`, from the cache or from `load` (ids that `load` does not return are absent). */
  async read(
    ids: readonly string[],
    load: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    const { redis } = this.options;
    const cached = await Promise.all(ids.map((id) => redis.hmget(this.key(id), 'gen', 'value')));
    const found = new Map<string, T>();
    const missing = new Map<string, string>();
    ids.forEach((id, index) => {
      const [gen, value] = cached[index] ?? [];
      if (value) found.set(id, JSON.parse(value) as T);
      else missing.set(id, gen ?? '');
    });
    this.lookups.inc({ cache: this.options.name, result: 'hit' }, found.size);
    this.lookups.inc({ cache: this.options.name, result: 'miss' }, missing.size);
    if (missing.size === 0) return found;
    const loaded = await load([...missing.keys()]);
    await Promise.all(
      [...loaded].map(([id, value]) => {
        found.set(id, value);
        return redis.eval(
          FILL_IF_UNCHANGED,
          1,
          this.key(id),
          missing.get(id) ?? '',
          JSON.stringify(value),
          this.options.ttlMs,
        );
      }),
    );
    return found;
  }

  /** One value; defined whenever `load` always returns one. */
  async readOne<R extends T | undefined>(id: string, load: (id: string) => Promise<R>): Promise<R> {
    const values = await this.read([id], async () => {
      const value = await load(id);
      return new Map(value === undefined ? [] : [[id, value]]);
    });
    return values.get(id) as R;
  }

  /**
   * Call after the change is committed. A failure is logged, not thrown: the change stands, and
   * the entry expires within the TTL at the latest.
   */
  async invalidate(id: string): Promise<void> {
    const key = this.key(id);
    try {
      await this.options.redis
        .multi()
        .hincrby(key, 'gen', 1)
        .hdel(key, 'value')
        .pexpire(key, this.options.ttlMs)
        .exec();
    } catch (error) {
      this.options.logger.error(
        { err: error, cache: this.options.name },
        'cache invalidation failed; the entry may be stale until it expires',
      );
    }
  }

  private key(id: string): string {
    return `${this.options.name}:${id}`;
  }
}
